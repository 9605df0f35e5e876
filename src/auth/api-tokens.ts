import { createSecretKey, type KeyObject } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export interface ApiTokenSettings {
  secretKey: string;
  /** the claim every API token must carry (spec §5; default `stackmon`) */
  payloadKey: string;
}

export interface ApiCaller {
  /** who the audit log names: the token's `sub`, else its payload key's value, else "monitoring" */
  name: string;
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

/** HS256 only: `none` and every other algorithm are refused; `exp` is honoured when present. */
export async function verifyApiToken(settings: ApiTokenSettings, token: string): Promise<ApiCaller | undefined> {
  try {
    const { payload } = await jwtVerify(token, keyFor(settings.secretKey), { algorithms: ['HS256'] });
    if (!Object.hasOwn(payload, settings.payloadKey)) return undefined;
    const claim = payload[settings.payloadKey];
    const name = payload.sub ?? (typeof claim === 'string' && claim !== '' ? claim : 'monitoring');
    return { name };
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
    throw error;
  }
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
