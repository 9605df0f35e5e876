import { createHmac } from 'node:crypto';
import { normaliseEmail, takeThrottle } from '../../storage/subscribers.js';
import type { Store } from '../../storage/store.js';

const HOUR = 60 * 60_000;

/**
 * How many subscription requests an hour: per address asked for (each may send a mail to it), and
 * per client address (one client asking for many addresses). Counted in the database, so every
 * instance counts together.
 */
export const SUBSCRIBE_LIMITS = { perAddress: 3, perClient: 20, windowMs: HOUR } as const;

/**
 * The throttle's key of an address or a client: an HMAC, so the throttle table keeps no address
 * in the clear (privacy: the least is kept) and its rows cannot be tied to one without the key.
 */
function throttleKey(key: Buffer, kind: 'address' | 'client', value: string): string {
  return `subscribe:${kind}:${createHmac('sha256', key).update(`${kind}:${value}`).digest('base64url').slice(0, 32)}`;
}

/** Counts a request of this client; false when it has made too many this hour (then nothing is counted). */
export function takeClientRequest(store: Store, key: Buffer, clientAddress: string, now: number): Promise<boolean> {
  return takeThrottle(store, [{ key: throttleKey(key, 'client', clientAddress), max: SUBSCRIBE_LIMITS.perClient }], now - SUBSCRIBE_LIMITS.windowMs, now);
}

/** Counts a request for this address; false when it has been asked for too often this hour. */
export function takeAddressRequest(store: Store, key: Buffer, email: string, now: number): Promise<boolean> {
  return takeThrottle(store, [{ key: throttleKey(key, 'address', normaliseEmail(email)), max: SUBSCRIBE_LIMITS.perAddress }], now - SUBSCRIBE_LIMITS.windowMs, now);
}
