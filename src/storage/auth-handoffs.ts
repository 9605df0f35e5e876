import type { Store } from './store.js';
import { withWriteTransaction } from './write-transaction.js';

export interface LoginTokens {
  access_token: string;
  refresh_token?: string | undefined;
}

/** Who may claim a hand-off: the client that came back from the provider, on the callback's page. */
export interface HandoffClient {
  address: string;
  origin: string;
}

/** A claimed hand-off: the tokens and the client they were kept for. */
export interface ClaimedHandoff {
  tokens: LoginTokens;
  client: HandoffClient;
}

/** Keeps a login's tokens for the browser that will show its code verifier (one use, short-lived). */
export async function keepLoginTokens(store: Store, challenge: string, tokens: LoginTokens, client: HandoffClient, expiresAt: number, now: number): Promise<void> {
  const row = { tokens: JSON.stringify(tokens), client_address: client.address, origin: client.origin, expires_at: expiresAt };
  await withWriteTransaction(store, async ({ tx }) => {
    await tx.deleteFrom('auth_handoff').where('expires_at', '<=', now).execute();
    await tx
      .insertInto('auth_handoff')
      .values({ challenge, ...row })
      .onConflict((conflict) => conflict.column('challenge').doUpdateSet(row))
      .execute();
  });
}

/**
 * Takes the hand-off out, whoever claims it: a second claim, or a late one, finds nothing. The
 * caller checks the client; a claim by anyone else has spent it all the same.
 */
export async function claimLoginTokens(store: Store, challenge: string, now: number): Promise<ClaimedHandoff | undefined> {
  const row = await withWriteTransaction(store, ({ tx }) => tx.deleteFrom('auth_handoff').where('challenge', '=', challenge).returningAll().executeTakeFirst());
  if (!row || Number(row.expires_at) <= now) return undefined;
  return { tokens: JSON.parse(row.tokens) as LoginTokens, client: { address: row.client_address, origin: row.origin } };
}
