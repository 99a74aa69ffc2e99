export interface Post {
  id: number;
  title: string;
  body: string;
  author: string;
  createdAt: string;
}

/**
 * The sample API's posts, in memory and bounded: at most `max` posts (each at most 200 + 10,000
 * characters), the oldest evicted when a new one would go over. Ids are never reused, so a cursor
 * (an id) stays meaningful after an eviction.
 */
export class PostStore {
  /** Oldest first, ids ascending. */
  private readonly posts: Post[] = [];
  private nextId = 1;

  constructor(private readonly max: number) {}

  add(fields: Omit<Post, "id">): Post {
    const post = { id: this.nextId++, ...fields };
    this.posts.push(post);
    if (this.posts.length > this.max) this.posts.splice(0, this.posts.length - this.max);
    return post;
  }

  /** Newest first: up to `limit` posts with an id below `before`, and the cursor of the page after (null at the end). */
  page(limit: number, before?: number): { posts: Post[]; next: number | null } {
    const end = before === undefined ? this.posts.length : this.firstIndexFrom(before);
    const start = Math.max(0, end - limit);
    const posts = this.posts.slice(start, end).reverse();
    return { posts, next: start > 0 ? (posts.at(-1)?.id ?? null) : null };
  }

  /** Index of the first post whose id is at least `id` (binary search: ids ascend). */
  private firstIndexFrom(id: number): number {
    let lo = 0;
    let hi = this.posts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.posts[mid]?.id ?? 0) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
