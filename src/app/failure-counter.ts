/** Keys an attacker cannot grow past: 10,000 keys of at most `max` timestamps each, a few MB. */
export const MAX_TRACKED_KEYS = 10_000;

export interface FailureCounterOptions {
  /** Failures allowed in the window; 0 turns the counter off. */
  max: number;
  windowMs: number;
  maxKeys?: number;
  now?: () => number;
}

/**
 * Failures per key in a sliding window, memory-bounded. Each key keeps at most `max` timestamps
 * (the newest), and at most `maxKeys` keys are kept: the map is in order of last failure, so when
 * it is full the key dropped is the one that failed longest ago (expired, or the least active).
 * A flood of distinct keys can push out an old key early, never lock anyone in for longer.
 */
export class FailureCounter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly options: FailureCounterOptions) {
    this.maxKeys = options.maxKeys ?? MAX_TRACKED_KEYS;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.failures.size;
  }

  /** Milliseconds until the key may try again: 0 while it has fewer than `max` failures in the window. */
  blockedFor(key: string): number {
    if (this.options.max === 0) return 0;
    const times = this.live(key);
    if (times.length < this.options.max) return 0;
    // Sorted oldest first and trimmed to `max`: the oldest leaving the window frees an attempt.
    return (times[0] ?? 0) + this.options.windowMs - this.now();
  }

  record(key: string): void {
    if (this.options.max === 0) return;
    const times = this.live(key);
    times.push(this.now());
    if (times.length > this.options.max) times.splice(0, times.length - this.options.max);
    // Delete and set: the key moves to the end, so the map stays in order of last failure.
    this.failures.delete(key);
    this.failures.set(key, times);
    this.evict();
  }

  /** Takes back the newest failure (an attempt counted up front that turned out right). */
  undo(key: string): void {
    const times = this.failures.get(key);
    times?.pop();
    if (times?.length === 0) this.failures.delete(key);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private live(key: string): number[] {
    const times = this.failures.get(key) ?? [];
    const since = this.now() - this.options.windowMs;
    const first = times.findIndex((t) => t > since);
    if (first !== 0) times.splice(0, first < 0 ? times.length : first);
    return times;
  }

  private evict(): void {
    const since = this.now() - this.options.windowMs;
    for (const [key, times] of this.failures) {
      const expired = (times.at(-1) ?? 0) <= since;
      if (!expired && this.failures.size <= this.maxKeys) break;
      this.failures.delete(key);
    }
  }
}
