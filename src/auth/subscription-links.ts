import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The links in subscribers' mails (issue 18): confirm the address, change what it receives,
 * unsubscribe. Each carries the subscriber's id and an HMAC of it for its purpose, with a key
 * derived from the secret key for this use only, so the server keeps no token and no link can be
 * made for another subscriber or another purpose. A confirmation link expires; the others last
 * as long as the subscription (a new subscription of the same address has another id).
 */
export type LinkPurpose = 'confirm' | 'manage' | 'unsubscribe';

/** How long a confirmation link works: long enough for a mail read the next morning. */
export const CONFIRMATION_LIFETIME_MS = 48 * 60 * 60_000;

export function subscriptionLinkKey(secretKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), 'status-dashboard', 'subscription-links/HMAC-SHA256', 32));
}

function mac(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

/** `<id>.<sig>`, or `<id>.<expires>.<sig>` for a confirmation (expires in epoch ms). */
export function signSubscriptionLink(key: Buffer, purpose: LinkPurpose, subscriberId: number, expiresAt?: number): string {
  const body = expiresAt === undefined ? String(subscriberId) : `${subscriberId}.${expiresAt}`;
  return `${body}.${mac(key, `${purpose}:${body}`)}`;
}

/** The subscriber id a link was made for, if it was made by us for this purpose and has not expired. */
export function openSubscriptionLink(key: Buffer, purpose: LinkPurpose, token: string, now: number): number | undefined {
  if (token.length > 200) return undefined;
  const parts = token.split('.');
  const expiring = purpose === 'confirm';
  if (parts.length !== (expiring ? 3 : 2)) return undefined;
  const signature = parts.pop() ?? '';
  const body = parts.join('.');
  const expected = Buffer.from(mac(key, `${purpose}:${body}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  const [id, expires] = parts.map(Number);
  if (!Number.isSafeInteger(id) || (id ?? 0) < 1) return undefined;
  if (expiring && !(Number.isSafeInteger(expires) && (expires ?? 0) > now)) return undefined;
  return id;
}
