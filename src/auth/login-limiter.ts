/**
 * Failed logins per username and per client address within a sliding window. Kept in memory:
 * each instance counts its own, so behind N instances an attacker gets up to N times the budget.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly maxFailures = 5,
    readonly windowMs = 15 * 60_000,
    /** beyond this many tracked keys the oldest are forgotten, so a flood cannot exhaust memory */
    private readonly maxKeys = 10_000,
  ) {}

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  /** Whether any of the keys has used up its failures. */
  blocked(keys: readonly string[], now: number): boolean {
    return keys.some((key) => this.recent(key, now).length >= this.maxFailures);
  }

  fail(keys: readonly string[], now: number): void {
    for (const key of keys) {
      const times = this.recent(key, now);
      this.failures.delete(key);
      this.failures.set(key, [...times, now]);
    }
    while (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
