import { randomUUID } from 'node:crypto';
import { claimLoginAttempt, settleLoginAttempt } from '../storage/login-failures.js';
import type { Store } from '../storage/store.js';

/** A login try that the limiter let through: it counts as failed until `succeeded` says otherwise. */
export interface LoginTry {
  succeeded(): Promise<void>;
}

/**
 * Failed logins per username and per client address within a sliding window, counted in the
 * database: every instance sees the same tries, so N instances do not give an attacker N
 * budgets. A try is counted as a failure before its password is checked, so a burst of
 * concurrent tries cannot all slip past the count while the slow password check runs. A blocked
 * try records nothing, so one address adds at most `maxFailures` rows per window.
 */
export class LoginLimiter {
  constructor(
    private readonly store: Store,
    readonly maxFailures = 5,
    readonly windowMs = 15 * 60_000,
  ) {}

  /**
   * Claims a try for the keys (the username's first): undefined when one of them has used up its
   * failures. On success, the username's failures are forgotten, the address's kept.
   */
  async begin(keys: readonly string[], now: number): Promise<LoginTry | undefined> {
    const attempt = randomUUID();
    const allowed = await claimLoginAttempt(this.store, { attempt, keys, at: now, since: now - this.windowMs, maxFailures: this.maxFailures });
    if (!allowed) return undefined;
    return { succeeded: () => settleLoginAttempt(this.store, attempt, keys[0] ?? '') };
  }
}
