import { EncryptJWT, jwtDecrypt } from 'jose';
import type { SessionKeys } from './sessions.js';

export const OIDC_LOGIN_COOKIE = 'sd_oidc_login';
/** Seconds a single sign-on login may spend at the provider. */
export const OIDC_LOGIN_LIFETIME = 10 * 60;

/** What the callback checks the provider's answer against; the browser keeps it, unreadable. */
export interface PendingOidcLogin {
  codeVerifier: string;
  state: string;
  nonce: string;
}

/**
 * The login in progress as a cookie value (JWE, dir + A256GCM). Its key is not the session key,
 * so a login cookie never opens as a session, nor a session as a login.
 */
export async function sealPendingLogin(keys: SessionKeys, pending: PendingOidcLogin, nowMs: number): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000);
  return new EncryptJWT({ cv: pending.codeVerifier, st: pending.state, nn: pending.nonce })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + OIDC_LOGIN_LIFETIME)
    .encrypt(keys.oidcLogin);
}

/** The login in a cookie value; undefined when missing, tampered with or expired. */
export async function openPendingLogin(keys: SessionKeys, value: string | undefined, nowMs: number): Promise<PendingOidcLogin | undefined> {
  if (!value || value.length > 2048) return undefined;
  try {
    const { payload } = await jwtDecrypt(value, keys.oidcLogin, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      currentDate: new Date(nowMs),
      maxTokenAge: OIDC_LOGIN_LIFETIME,
      requiredClaims: ['exp', 'iat'],
    });
    const { cv, st, nn } = payload;
    if (typeof cv !== 'string' || typeof st !== 'string' || typeof nn !== 'string') return undefined;
    return { codeVerifier: cv, state: st, nonce: nn };
  } catch {
    return undefined;
  }
}
