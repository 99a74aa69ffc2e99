// Its own module: the doctor sends this header without loading the probe (and its JWT library).

/** The header a probe in production requires (AUTHPROBE_PROBE_KEY). */
export const PROBE_KEY_HEADER = "x-authprobe-key";
