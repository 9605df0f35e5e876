import { countLoginFailures, forgetLoginFailures, recordLoginFailure } from '../storage/login-failures.js';
import type { Store } from '../storage/store.js';

/**
 * Failed logins per username and per client address within a sliding window, counted in the
 * database: every instance sees the same attempts, so N instances do not give an attacker N
 * budgets. A blocked key records nothing more, so one address adds at most `maxFailures` rows
 * per window.
 */
export class LoginLimiter {
  constructor(
    private readonly store: Store,
    readonly maxFailures = 5,
    readonly windowMs = 15 * 60_000,
  ) {}

  /** Whether any of the keys has used up its failures. */
  async blocked(keys: readonly string[], now: number): Promise<boolean> {
    const failures = await countLoginFailures(this.store, keys, now - this.windowMs);
    return keys.some((key) => (failures.get(key) ?? 0) >= this.maxFailures);
  }

  async fail(keys: readonly string[], now: number): Promise<void> {
    await recordLoginFailure(this.store, keys, now, now - this.windowMs);
  }

  async reset(key: string): Promise<void> {
    await forgetLoginFailures(this.store, key);
  }
}
