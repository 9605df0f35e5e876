import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { Role } from '../domain/roles.js';

export const SESSION_COOKIE = 'sd_session';
export const LOGIN_CSRF_COOKIE = 'sd_login_csrf';
/** Seconds a session lasts after login. */
export const SESSION_LIFETIME = 12 * 60 * 60;

/** The person behind a request, as the session cookie tells it. */
export interface OperatorSession {
  /** the session's row on the server (operator_session): the session lasts while the row does */
  id: string;
  /** `local:<username>` or `oidc:<sub>` */
  subject: string;
  name: string;
  /** the secret every form of this session echoes back */
  csrf: string;
  /** epoch seconds */
  expiresAt: number;
}

/** A session the server has confirmed (its row is there), with the role it holds; its subject is the actor id (roles.ts). */
export interface SignedInOperator extends OperatorSession {
  role: Role;
}

export interface SessionKeys {
  /** A256GCM key of the session cookie */
  session: Uint8Array;
  /** HMAC key of the login form's CSRF token */
  loginCsrf: Buffer;
  /** A256GCM key of the cookie that carries a single sign-on login in progress (never a session) */
  oidcLogin: Uint8Array;
}

/**
 * Keys derived from the secret key with HKDF, one per purpose, so a session key is never the
 * key that signs API tokens (which is the secret key itself).
 */
export function deriveSessionKeys(secretKey: string): SessionKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), 'status-dashboard', info, 32));
  return {
    session: new Uint8Array(derive('operator-session/A256GCM')),
    loginCsrf: derive('login-csrf/HMAC-SHA256'),
    oidcLogin: new Uint8Array(derive('oidc-login-state/A256GCM')),
  };
}

export function newCsrfSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** The encrypted cookie value (JWE, dir + A256GCM): nothing of it is readable or changeable without the key. */
export async function sealSession(keys: SessionKeys, session: Omit<OperatorSession, 'expiresAt'>, nowMs: number): Promise<{ value: string; expiresAt: number }> {
  const issuedAt = Math.floor(nowMs / 1000);
  const expiresAt = issuedAt + SESSION_LIFETIME;
  const claims: Record<string, unknown> = { sid: session.id, name: session.name, csrf: session.csrf };
  const value = await new EncryptJWT(claims)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setSubject(session.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .encrypt(keys.session);
  return { value, expiresAt };
}

/** The session in a cookie value; undefined when it is tampered with, expired or malformed. */
export async function openSession(keys: SessionKeys, value: string | undefined, nowMs: number): Promise<OperatorSession | undefined> {
  if (!value || value.length > 4096) return undefined;
  try {
    const { payload } = await jwtDecrypt(value, keys.session, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      currentDate: new Date(nowMs),
      maxTokenAge: SESSION_LIFETIME,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const { sid, sub, name, csrf, exp } = payload;
    if (typeof sid !== 'string' || typeof sub !== 'string' || typeof name !== 'string' || typeof csrf !== 'string' || typeof exp !== 'number') return undefined;
    return { id: sid, subject: sub, name, csrf, expiresAt: exp };
  } catch {
    return undefined;
  }
}

/** Constant-time comparison of two tokens (a missing one matches nothing). */
export function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given === '') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The login form has no session yet: a random nonce goes in a cookie, and the form carries its
 * HMAC, which a page of another site can neither read nor compute (even if it could plant a cookie).
 */
export function loginCsrfToken(keys: SessionKeys, nonce: string): string {
  return createHmac('sha256', keys.loginCsrf).update(nonce).digest('base64url');
}

export function newLoginNonce(): string {
  return randomBytes(18).toString('base64url');
}

export function checkLoginCsrf(keys: SessionKeys, nonce: string | undefined, token: unknown): boolean {
  if (!nonce) return false;
  return sameToken(loginCsrfToken(keys, nonce), token);
}
