import { resolve } from 'node:path';

/**
 * A start that cannot go on, said in one line that names the setting to look at (spec §6: bad
 * configuration stops the start with one clear line). The cause keeps the stack for debug logs.
 */
export class StartFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

interface SystemError {
  code?: string;
  syscall?: string;
  path?: string;
  address?: string;
  port?: number;
  message?: string;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a part of the path is not a folder',
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder',
  EEXIST: 'a file of that name is in the way',
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'the host name cannot be resolved now',
  ETIMEDOUT: 'no answer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  SQLITE_CANTOPEN: 'cannot open the file',
  SQLITE_NOTADB: 'the file is not an SQLite database',
  SQLITE_CORRUPT: 'the database file is damaged',
  SQLITE_READONLY: 'the file is read-only',
  SQLITE_FULL: 'no space left on the device',
  SQLITE_BUSY: 'another process holds the database locked',
  '3D000': 'the database does not exist',
  '28P01': 'the password was refused',
  '28000': 'the user may not log in',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'the server has too many connections',
  '57014': 'a statement ran longer than SD_DB_STATEMENT_TIMEOUT_MS allows (the start reads the whole history)',
  SD_QUERY_TIMEOUT: 'the server did not answer (is it stopped or overloaded?)',
};

function reasonOf(error: unknown): string {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as SystemError;
  const known = code === undefined ? undefined : (REASONS[code] ?? REASONS[code.split('_').slice(0, 2).join('_')]);
  const text = known ?? (message?.split('\n')[0] || String(error));
  return code && !text.includes(code) ? `${text} (${code})` : text;
}

/** The database of SD_DATABASE_URL could not be opened, reached or migrated. */
export function databaseStartFailure(url: string, error: unknown): StartFailure {
  return new StartFailure(`SD_DATABASE_URL: ${describeDatabase(url)}: ${reasonOf(error)}`, { cause: error });
}

/** Where the database is, never with its password. */
function describeDatabase(url: string): string {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    return path === ':memory:' || path === '' ? 'the in-memory SQLite database' : `cannot open the SQLite database ${resolve(path)}`;
  }
  try {
    const parsed = new URL(url);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || parsed.username || 'postgres';
    return `cannot use PostgreSQL database "${database}" at ${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.username ? ` as ${decodeURIComponent(parsed.username)}` : ''}`;
  } catch {
    return 'cannot use the PostgreSQL database';
  }
}

/** The HTTP server could not listen on SD_HOST:SD_PORT. */
export function listenStartFailure(host: string, port: number, error: unknown): StartFailure {
  const { code } = (error ?? {}) as SystemError;
  if (code === 'EADDRINUSE') return new StartFailure(`SD_PORT: port ${port} on ${host} is already in use`, { cause: error });
  if (code === 'EACCES') return new StartFailure(`SD_PORT: no permission to listen on port ${port} (ports below 1024 need privileges)`, { cause: error });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new StartFailure(`SD_HOST: ${host} is not an address of this machine`, { cause: error });
  return new StartFailure(`SD_HOST, SD_PORT: cannot listen on ${host}:${port}: ${reasonOf(error)}`, { cause: error });
}

/** A file the start reads or writes under a setting (the data folder's secret key, the catalog). */
export function fileStartFailure(setting: string, what: string, error: unknown): StartFailure {
  const { path } = (error ?? {}) as SystemError;
  return new StartFailure(`${setting}: cannot ${what}${path ? ` ${resolve(path)}` : ''}: ${reasonOf(error)}`, { cause: error });
}
