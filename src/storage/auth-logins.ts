import type { Store } from './store.js';
import { withWriteTransaction } from './write-transaction.js';

/** A front-end login in progress at the provider (API v2 `/auth/*`), as any instance may finish it. */
export interface AuthLogin {
  /** names the login in the browser's cookie; never leaves that browser and us */
  id: string;
  /** our state at the provider (it travels in URLs) */
  state: string;
  nonce: string;
  /** our PKCE verifier at the provider */
  codeVerifier: string;
  /** an allow-listed callback (origin and path) */
  callbackUrl: string;
  /** the front end's challenge: the tokens are handed off under it */
  codeChallenge: string;
  expiresAt: number;
}

export async function keepAuthLogin(store: Store, login: AuthLogin, now: number): Promise<void> {
  await withWriteTransaction(store, async ({ tx }) => {
    await tx.deleteFrom('auth_login').where('expires_at', '<=', now).execute();
    await tx
    .insertInto('auth_login')
    .values({
      id: login.id,
      state: login.state,
      nonce: login.nonce,
      code_verifier: login.codeVerifier,
      callback_url: login.callbackUrl,
      code_challenge: login.codeChallenge,
      created_at: now,
      expires_at: login.expiresAt,
    })
    .execute();
  });
}

/**
 * The login that both the cookie's id and the provider's state name, unless it has expired.
 * Whatever the outcome, every login either of them names is gone afterwards: each is used once,
 * and a state that reached a browser without its cookie (a forwarded authorize URL) is spent.
 */
export async function takeAuthLogin(store: Store, id: string, state: string, now: number): Promise<AuthLogin | undefined> {
  const rows = await withWriteTransaction(store, ({ tx }) =>
    tx
      .deleteFrom('auth_login')
      .where((eb) => eb.or([eb('id', '=', id), eb('state', '=', state)]))
      .returningAll()
      .execute(),
  );
  const row = rows.length === 1 ? rows[0] : undefined;
  if (!row || row.id !== id || row.state !== state || Number(row.expires_at) <= now) return undefined;
  return {
    id: row.id,
    state: row.state,
    nonce: row.nonce,
    codeVerifier: row.code_verifier,
    callbackUrl: row.callback_url,
    codeChallenge: row.code_challenge,
    expiresAt: Number(row.expires_at),
  };
}
