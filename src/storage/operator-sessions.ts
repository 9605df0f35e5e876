import { storedRole, type Role } from '../domain/roles.js';
import type { Store } from './store.js';
import { withWriteTransaction, type WriteTx } from './write-transaction.js';
import { databaseOf } from './database-of.js';

/** An operator's session as the server keeps it (the cookie carries its id). */
export interface StoredSession {
  id: string;
  subject: string;
  name: string;
  /** decided at login: a local account's, or the one the provider's groups gave */
  role: Role;
  /** single sign-on: the role settings the role was decided under (roles.ts, roleSettingsFingerprint) */
  roleBasis: string | null;
  createdAt: number;
  expiresAt: number;
}

/** A local account's version at the password check: the session opens only if it is still current. */
export interface CheckedAccount {
  username: string;
  updatedAt: number;
}

/**
 * Keeps a new session, and drops the expired ones. For a local account, only while the account
 * is as its password was checked (not removed, disabled or given a new password since): the
 * write lock orders this after any such change, whose transaction ended the account's sessions.
 * Returns whether the session was kept.
 */
export async function keepOperatorSession(store: Store, session: StoredSession, account?: CheckedAccount): Promise<boolean> {
  return withWriteTransaction(store, async ({ tx }) => {
    if (account) {
      const current = await tx
        .selectFrom('operator')
        .select('id')
        .where('username', '=', account.username)
        .where('updated_at', '=', account.updatedAt)
        .where('disabled', '=', 0)
        .executeTakeFirst();
      if (!current) return false;
    }
    await tx.deleteFrom('operator_session').where('expires_at', '<=', session.createdAt).execute();
    await tx
      .insertInto('operator_session')
      .values({
        id: session.id,
        subject: session.subject,
        name: session.name,
        role: session.role,
        role_basis: session.roleBasis,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
    return true;
  });
}

/** The session with this id as the server keeps it, unless it has ended or expired. */
export async function findSession(store: Store, id: string, now: number): Promise<Pick<StoredSession, 'subject' | 'role' | 'roleBasis'> | undefined> {
  const row = await databaseOf(store)
    .selectFrom('operator_session')
    .select(['subject', 'role', 'role_basis'])
    .where('id', '=', id)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row && { subject: row.subject, role: storedRole(row.role), roleBasis: row.role_basis };
}


export async function endOperatorSession(store: Store, id: string): Promise<void> {
  await withWriteTransaction(store, ({ tx }) => tx.deleteFrom('operator_session').where('id', '=', id).execute());
}

/** Ends every session of the subject (all sessions when undefined), in the change that calls it. Returns how many. */
export async function endOperatorSessions(tx: WriteTx, subject: string | undefined): Promise<number> {
  const query = tx.deleteFrom('operator_session');
  const result = await (subject === undefined ? query : query.where('subject', '=', subject)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** `status-dashboard session end`: ends the subject's sessions (every session when undefined). Returns how many. */
export async function endSessionsOf(store: Store, subject: string | undefined): Promise<number> {
  return withWriteTransaction(store, ({ tx }) => endOperatorSessions(tx, subject));
}

export async function listOperatorSessions(store: Store, now: number): Promise<StoredSession[]> {
  const rows = await databaseOf(store).selectFrom('operator_session').selectAll().where('expires_at', '>', now).orderBy('subject').orderBy('created_at').execute();
  return rows.map((row) => ({
    id: row.id,
    subject: row.subject,
    name: row.name,
    role: storedRole(row.role),
    roleBasis: row.role_basis,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  }));
}
