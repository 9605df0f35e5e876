import { storedRole, type Role } from '../domain/roles.js';
import { writeAudit } from './audit.js';
import { endOperatorSessions } from './operator-sessions.js';
import type { Store } from './store.js';
import { withWriteTransaction } from './write-transaction.js';
import { databaseOf } from './database-of.js';

export interface Operator {
  id: number;
  username: string;
  disabled: boolean;
  role: Role;
  createdAt: number;
  updatedAt: number;
}

export interface OperatorCredentials extends Operator {
  passwordHash: string;
}

/** Letters, digits and . _ @ - ; what a login form and a session subject can carry unchanged. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export class OperatorError extends Error {}

/** Who a local account's sessions and audit entries name. */
export function localSubject(username: string): string {
  return `local:${username}`;
}

interface OperatorRow {
  id: number;
  username: string;
  password_hash: string;
  disabled: number;
  role: string;
  created_at: number;
  updated_at: number;
}

function fromRow(row: OperatorRow): OperatorCredentials {
  return {
    id: Number(row.id),
    username: row.username,
    passwordHash: row.password_hash,
    disabled: Number(row.disabled) === 1,
    role: storedRole(row.role),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}


/** What the audit log keeps of an account: never the hash. */
function audited(operator: Operator) {
  return { username: operator.username, disabled: operator.disabled, role: operator.role };
}

export async function listOperators(store: Store): Promise<Operator[]> {
  const rows = await databaseOf(store).selectFrom('operator').selectAll().orderBy('username').execute();
  return rows.map((row) => {
    const { passwordHash: _hash, ...operator } = fromRow(row);
    return operator;
  });
}

export async function findOperator(store: Store, username: string): Promise<OperatorCredentials | undefined> {
  const row = await databaseOf(store).selectFrom('operator').selectAll().where('username', '=', username).executeTakeFirst();
  return row && fromRow(row);
}

export async function addOperator(store: Store, username: string, passwordHash: string, now: number, actor: string, role: Role = 'operator'): Promise<Operator> {
  if (!USERNAME_PATTERN.test(username)) throw new OperatorError(`"${username}" is not a valid username (letters, digits and . _ @ -, at most 64)`);
  return withWriteTransaction(store, async ({ tx }) => {
    const existing = await tx.selectFrom('operator').select('id').where('username', '=', username).executeTakeFirst();
    if (existing) throw new OperatorError(`operator ${username} already exists`);
    const row = await tx
      .insertInto('operator')
      .values({ username, password_hash: passwordHash, disabled: 0, role, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const operator = fromRow(row);
    await writeAudit(tx, [{ at: now, actor, action: 'operator.create', entity: 'operator', entityId: operator.id, before: null, after: audited(operator) }]);
    return operator;
  });
}

/**
 * A change of an account that ends its sessions in the same transaction: `updated_at` moves (by
 * at least 1), so a login that checked the account before opens no session afterwards.
 */
async function changeAccount(
  store: Store,
  username: string,
  now: number,
  actor: string,
  change: { action: string; set: { password_hash: string } | { role: Role }; after: (before: Operator) => Operator },
): Promise<void> {
  await withWriteTransaction(store, async ({ tx }) => {
    const row = await tx.selectFrom('operator').selectAll().where('username', '=', username).executeTakeFirst();
    if (!row) throw new OperatorError(`there is no operator ${username}`);
    const before = fromRow(row);
    await tx
      .updateTable('operator')
      .set({ ...change.set, updated_at: Math.max(now, before.updatedAt + 1) })
      .where('id', '=', before.id)
      .execute();
    await endOperatorSessions(tx, localSubject(username));
    await writeAudit(tx, [{ at: now, actor, action: change.action, entity: 'operator', entityId: before.id, before: audited(before), after: audited(change.after(before)) }]);
  });
}

/** A new password; the account's sessions end. */
export async function setOperatorPassword(store: Store, username: string, passwordHash: string, now: number, actor: string): Promise<void> {
  await changeAccount(store, username, now, actor, { action: 'operator.password', set: { password_hash: passwordHash }, after: (before) => before });
}

/** A new role; the account's sessions end, so the new role holds from the next login on. */
export async function setOperatorRole(store: Store, username: string, role: Role, now: number, actor: string): Promise<void> {
  await changeAccount(store, username, now, actor, { action: 'operator.role', set: { role }, after: (before) => ({ ...before, role }) });
}

/** Removes the account; its sessions end in the same transaction. */
export async function removeOperator(store: Store, username: string, now: number, actor: string): Promise<void> {
  await withWriteTransaction(store, async ({ tx }) => {
    const row = await tx.deleteFrom('operator').where('username', '=', username).returningAll().executeTakeFirst();
    if (!row) throw new OperatorError(`there is no operator ${username}`);
    const before = fromRow(row);
    await endOperatorSessions(tx, localSubject(username));
    await writeAudit(tx, [{ at: now, actor, action: 'operator.remove', entity: 'operator', entityId: before.id, before: audited(before), after: null }]);
  });
}
