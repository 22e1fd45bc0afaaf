/**
 * Slows down repeated sign-in failures per key (email and client address): the first few are free,
 * then each failure doubles the wait, up to a cap. In memory: one process serves the app.
 */
export class FailureThrottle {
  private failures = new Map<string, { count: number; last: number }>();

  constructor(
    private readonly opts = { free: 3, baseMs: 500, maxMs: 30_000, windowMs: 15 * 60_000 },
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds this key must wait before its next attempt is considered. */
  delayFor(key: string): number {
    const f = this.failures.get(key);
    if (!f || this.now() - f.last > this.opts.windowMs) return 0;
    const over = f.count - this.opts.free;
    if (over < 0) return 0;
    const wait = Math.min(this.opts.baseMs * 2 ** over, this.opts.maxMs);
    return Math.max(0, f.last + wait - this.now());
  }

  fail(key: string): void {
    const f = this.failures.get(key);
    const fresh = !f || this.now() - f.last > this.opts.windowMs;
    this.failures.set(key, { count: fresh ? 1 : f.count + 1, last: this.now() });
    if (this.failures.size > 10_000) this.prune();
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private prune() {
    for (const [k, f] of this.failures) if (this.now() - f.last > this.opts.windowMs) this.failures.delete(k);
  }
}
