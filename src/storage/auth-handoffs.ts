import type { Store } from './store.js';

export interface LoginTokens {
  access_token: string;
  refresh_token?: string | undefined;
}

/** Keeps a login's tokens for the browser that will show its code verifier (one use, short-lived). */
export async function keepLoginTokens(store: Store, challenge: string, tokens: LoginTokens, expiresAt: number, now: number): Promise<void> {
  await store.db.deleteFrom('auth_handoff').where('expires_at', '<=', now).execute();
  await store.db
    .insertInto('auth_handoff')
    .values({ challenge, tokens: JSON.stringify(tokens), expires_at: expiresAt })
    .onConflict((conflict) => conflict.column('challenge').doUpdateSet({ tokens: JSON.stringify(tokens), expires_at: expiresAt }))
    .execute();
}

/** Hands the tokens over once: a second claim, or a late one, finds nothing. */
export async function claimLoginTokens(store: Store, challenge: string, now: number): Promise<LoginTokens | undefined> {
  const row = await store.db.deleteFrom('auth_handoff').where('challenge', '=', challenge).returning(['tokens', 'expires_at']).executeTakeFirst();
  if (!row || Number(row.expires_at) <= now) return undefined;
  return JSON.parse(row.tokens) as LoginTokens;
}
