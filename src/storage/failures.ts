/**
 * A read or change the database cannot do right now (down, restarting, stuck, or its lock taken
 * for too long): nothing was decided, and the client may try again shortly (HTTP 503).
 */
export class DatabaseUnavailableError extends Error {
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(`the database is unavailable: ${reason}`, options);
  }
}

/** A query our own watchdog gave up on: the server did not answer in time (frozen, partitioned). */
export class QueryTimeoutError extends Error {
  readonly code = 'SD_QUERY_TIMEOUT';
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`);
  }
}

/**
 * What a failure says about the database: `unreachable`, it cannot be talked to at all (no
 * connection, connection lost, no answer); `busy`, it answered but could not do this now (lock or
 * statement timeout, too many connections, a conflict to retry); undefined, anything else (a bug,
 * a constraint), which is not the database's state.
 */
export type FailureKind = 'unreachable' | 'busy';

// PostgreSQL SQLSTATE classes and codes (appendix A of its manual).
const PG_UNREACHABLE_CLASSES = ['08']; // connection exception
const PG_UNREACHABLE = new Set(['57P01', '57P02', '57P03', '3D000', '28000', '28P01']); // shutdown, crash, starting up, no database, auth
const PG_BUSY_CLASSES = ['53', '40']; // insufficient resources; transaction rollback (serialization, deadlock)
const PG_BUSY = new Set(['57014', '55P03', '25P03']); // statement timeout, lock timeout, idle-in-transaction timeout
const NODE_UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'SD_QUERY_TIMEOUT']);
const SQLITE_BUSY = /^SQLITE_(BUSY|LOCKED)/;
const SQLITE_UNREACHABLE = /^SQLITE_(IOERR|FULL|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;
// pg reports a lost or refused connection by message only.
const PG_CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Query read timeout)/;

export function classifyDatabaseError(error: unknown): FailureKind | undefined {
  if (error instanceof DatabaseUnavailableError) return 'unreachable';
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NODE_UNREACHABLE.has(code) || PG_UNREACHABLE.has(code) || PG_UNREACHABLE_CLASSES.includes(code.slice(0, 2)) || SQLITE_UNREACHABLE.test(code)) return 'unreachable';
    if (PG_BUSY.has(code) || (/^[0-9A-Z]{5}$/.test(code) && PG_BUSY_CLASSES.includes(code.slice(0, 2))) || SQLITE_BUSY.test(code)) return 'busy';
  }
  if (typeof message === 'string' && PG_CONNECTION_MESSAGES.test(message)) return 'unreachable';
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined || cause === error ? undefined : classifyDatabaseError(cause);
}

/** Whether a failure means "try again later" (503) rather than a fault of the request or the code. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return classifyDatabaseError(error) !== undefined;
}

/** One line for the log and /readyz: what went wrong, without connection strings or data. */
export function describeFailure(error: unknown): string {
  if (error instanceof DatabaseUnavailableError) return error.reason;
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message.split('\n')[0]?.slice(0, 200) : String(error);
  return typeof code === 'string' && !String(text).includes(code) ? `${text} (${code})` : String(text);
}
