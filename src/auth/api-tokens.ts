import { createSecretKey, type KeyObject } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../domain/roles.js';

export interface ApiTokenSettings {
  secretKey: string;
  /** the claim every API token must carry (spec §5; default `stackmon`) */
  payloadKey: string;
}

export interface ApiCaller {
  /** who the audit log names: the token's `sub`, else its payload key's value, else "monitoring" */
  name: string;
  /** the actor id (roles.ts): whose proposals are whose */
  id: string;
  /** undefined: a reader, whose token counts for nothing more than no token */
  role: Role | undefined;
}

// One KeyObject per secret: jose would otherwise import the raw key again for every request.
const keys = new Map<string, KeyObject>();
function keyFor(secretKey: string): KeyObject {
  let key = keys.get(secretKey);
  if (!key) {
    key = createSecretKey(Buffer.from(secretKey, 'utf8'));
    keys.set(secretKey, key);
  }
  return key;
}

/**
 * HS256 only: `none` and every other algorithm are refused; `exp` is honoured when present. Its
 * holders are admins (issue 17: API tokens from the CLI act as admins).
 * Monitoring sends the same token with every report, so a verified token is remembered (until
 * it expires) instead of being checked again.
 */
export async function verifyApiToken(settings: ApiTokenSettings, token: string, now = Date.now()): Promise<ApiCaller | undefined> {
  const cacheKey = `${settings.payloadKey}\u0000${settings.secretKey}\u0000${token}`;
  const known = verified.get(cacheKey);
  if (known && known.expiresAt > now) return known.caller;
  try {
    const { payload } = await jwtVerify(token, keyFor(settings.secretKey), { algorithms: ['HS256'], currentDate: new Date(now) });
    if (!Object.hasOwn(payload, settings.payloadKey)) return undefined;
    const claim = payload[settings.payloadKey];
    const name = payload.sub ?? (typeof claim === 'string' && claim !== '' ? claim : 'monitoring');
    // Whoever holds the secret key is an admin: the CLI's tokens, monitoring, automation.
    const caller: ApiCaller = { name, id: `token:${name}`, role: 'admin' };
    remember(cacheKey, caller, payload.exp === undefined ? Infinity : payload.exp * 1000);
    return caller;
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
    throw error;
  }
}

const MAX_REMEMBERED_TOKENS = 1000;
const verified = new Map<string, { caller: ApiCaller; expiresAt: number }>();

function remember(cacheKey: string, caller: ApiCaller, expiresAt: number): void {
  // Oldest first out: a flood of distinct valid tokens cannot grow the map without bound.
  if (verified.size >= MAX_REMEMBERED_TOKENS) verified.delete(verified.keys().next().value as string);
  verified.set(cacheKey, { caller, expiresAt });
}

export interface TokenRequest {
  /** stored as the payload key's value and as `sub`; names the caller in the audit log */
  subject: string;
  /** e.g. "90d", "12h"; omitted: the token does not expire */
  expiresIn?: string | undefined;
}

export async function signApiToken(settings: ApiTokenSettings, request: TokenRequest): Promise<string> {
  const jwt = new SignJWT({ [settings.payloadKey]: request.subject })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuedAt();
  if (request.expiresIn) jwt.setExpirationTime(request.expiresIn);
  return jwt.sign(keyFor(settings.secretKey));
}
