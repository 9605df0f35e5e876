import { randomUUID } from 'node:crypto';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { claimLoginAttempt, settleLoginAttempt } from '../storage/login-failures.js';
import type { Store } from '../storage/store.js';
import { clientOf } from './client-address.js';

/** Who tries to log in: the username typed and the client address. */
export interface LoginClient {
  username: string;
  address: string;
}

/** A login try that the limiter let through: it counts as failed until `succeeded` says otherwise. */
export interface LoginTry {
  /** milliseconds it waited before the password may be checked (0: none) */
  readonly delayMs: number;
  succeeded(): Promise<void>;
}

export interface LoginLimits {
  windowMs: number;
  /** failures of one username from one address that refuse further tries of that pair */
  perPair: number;
  /** failures from one address across usernames that refuse its tries: bounds password spraying */
  perAddress: number;
  /** failures of one username, from anywhere, after which each of its tries waits */
  slowAfter: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const LOGIN_LIMITS: LoginLimits = { windowMs: 15 * 60_000, perPair: 5, perAddress: 50, slowAfter: 5, firstDelayMs: 1000, maxDelayMs: 10_000 };

/** The wait before a try's password check, given the username's recent failures: 1 s doubling to 10 s once there are 5. */
export function loginDelay(usernameFailures: number, limits: LoginLimits = LOGIN_LIMITS): number {
  if (usernameFailures < limits.slowAfter) return 0;
  return Math.min(limits.maxDelayMs, limits.firstDelayMs * 2 ** (usernameFailures - limits.slowAfter));
}

/**
 * Failed logins within a sliding window, counted in the database: every instance sees the same
 * tries, so N instances do not give an attacker N budgets. No one else can lock an operator out:
 * a hard limit holds per username and address (and, generously, per address), while a username
 * under attack from elsewhere is only slowed down, so its owner's right password still gets in.
 * A try is counted as a failure before its password is checked, so a burst of concurrent tries
 * cannot all slip past the count while the slow check runs; a refused try records nothing.
 */
export class LoginLimiter {
  constructor(
    private readonly store: Store,
    private readonly sleep: (ms: number) => Promise<unknown> = sleepFor,
    readonly limits: LoginLimits = LOGIN_LIMITS,
  ) {}

  /**
   * Claims a try and waits out the username's slowdown: undefined when the pair or the address
   * has used up its failures. On success the pair's failures are forgotten; the username's and
   * the address's stay, as they describe an attack from elsewhere.
   */
  async begin({ username, address }: LoginClient, now: number): Promise<LoginTry | undefined> {
    const name = username.toLowerCase();
    // Addresses hold no "|", so no username can make one pair's key another's.
    const client = clientOf(address);
    const keys = { pair: `pair:${client}|${name}`, address: `ip:${client}`, username: `user:${name}` };
    const attempt = randomUUID();
    const failures = await claimLoginAttempt(this.store, {
      attempt,
      at: now,
      since: now - this.limits.windowMs,
      limits: [{ key: keys.pair, max: this.limits.perPair }, { key: keys.address, max: this.limits.perAddress }, { key: keys.username }],
    });
    if (!failures) return undefined;
    const delayMs = loginDelay(failures.get(keys.username) ?? 0, this.limits);
    if (delayMs > 0) await this.sleep(delayMs);
    return { delayMs, succeeded: () => settleLoginAttempt(this.store, attempt, keys.pair) };
  }
}
