/**
 * When deliveries go out (issue 18). A subscriber hears of a new event at once, then at most once
 * per coalescing window while it keeps changing: the changes of a window go out together. A
 * delivery that fails is tried again later and later, for at least a day.
 */
export const COALESCE_MS = 60_000;

/** When a new delivery about an event is due, given when the last one about it went out to the same target. */
export function dueAt(now: number, lastSentAt: number | undefined, windowMs = COALESCE_MS): number {
  return lastSentAt === undefined ? now : Math.max(now, lastSentAt + windowMs);
}

const FIRST_RETRY_MS = 30_000;
const LONGEST_WAIT_MS = 60 * 60_000;
/** How long a delivery is tried before it is given up: a receiver down for a day still gets it after. */
export const GIVE_UP_AFTER_MS = 26 * 60 * 60_000;

/**
 * After the `attempts`-th failed attempt (1 for the first), when to try again: 30 s, doubling, at
 * most an hour apart, with a tenth of jitter (from `random`, in [0, 1)) so that many deliveries to
 * one receiver do not come back together; 'give-up' once the first attempt is GIVE_UP_AFTER_MS old.
 */
export function retryAt(attempts: number, firstAttemptAt: number, now: number, random: number): number | 'give-up' {
  if (now - firstAttemptAt >= GIVE_UP_AFTER_MS) return 'give-up';
  const wait = Math.min(LONGEST_WAIT_MS, FIRST_RETRY_MS * 2 ** Math.min(attempts - 1, 20));
  return now + Math.round(wait * (1 + random / 10));
}

/**
 * A webhook is disabled when its deliveries have failed for this long without one success in
 * between: the receiver is gone, and operators are shown why.
 */
const DISABLE_AFTER_MS = GIVE_UP_AFTER_MS;

export function shouldDisable(failingSince: number | null, now: number): boolean {
  return failingSince !== null && now - failingSince >= DISABLE_AFTER_MS;
}
