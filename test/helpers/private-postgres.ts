// A PostgreSQL cluster of the tests' own, for fault tests that restart, cut off or freeze their
// database: initdb into a temporary folder, a free port. The shared server on 5432 is never touched.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { adminQuery } from './postgres-admin.js';
import { freePort } from './server-process.js';

const run = promisify(execFile);

/** One database on a private cluster; what the fault tests do to the server, they do to the cluster. */
export interface PrivatePostgres {
  url: string;
  /** `pg_ctl restart -m fast`: every connection is ended, the server is back when this returns */
  restart(): Promise<void>;
  /** ends every other session of this database, as an administrator's pg_terminate_backend would */
  terminateAll(): Promise<number>;
  /** SIGSTOP to the server and all its processes: connections stay open and nothing answers */
  freeze(): void;
  thaw(): void;
}

/** A cluster of the tests' own: a fresh database on it for each test, so tests see only their own data. */
export interface PrivateCluster {
  newDatabase(): Promise<PrivatePostgres>;
  /** stops the server (thawed first) and removes its files */
  stop(): Promise<void>;
}

function binaries(): string | undefined {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  } catch {
    // no pg_config: look where Debian keeps the server
  }
  for (const version of ['17', '16', '15', '14']) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  return undefined;
}

/**
 * Why fault tests cannot run here, or undefined. In CI a missing server is a failure, never a
 * quiet pass; elsewhere the tests are skipped with this reason in the output.
 */
export function privatePostgresUnavailable(): string | undefined {
  if (!binaries()) return 'PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql to run the fault tests';
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root without a postgres user to run initdb as';
    }
  }
  return undefined;
}

/** Runs a server binary as the postgres user when we are root (PostgreSQL refuses to run as root). */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bin = binaries();
  if (!bin) throw new Error(privatePostgresUnavailable());
  const dir = mkdtempSync(join(tmpdir(), 'sd-pg-'));
  if (process.getuid?.() === 0) {
    const user = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const group = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(user), Number(group));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  const exec = (command: string, args: string[]) => run(...asPostgres(join(bin, command), args));
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const pgCtl = (...args: string[]) => exec('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', serverOptions, '-w', '-t', '60', ...args]);
  await pgCtl('start');
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;

  const serverPids = (): number[] => {
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    let children: number[] = [];
    try {
      children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    } catch {
      // no children yet
    }
    return [postmaster, ...children];
  };
  let frozen: number[] = [];
  function thaw() {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone already
      }
    }
    frozen = [];
  }
  let databases = 0;
  return {
    async newDatabase() {
      const name = `sd_faults_${++databases}`;
      await adminQuery(admin, `create database ${name}`);
      return {
        url: `postgres://postgres@127.0.0.1:${port}/${name}`,
        async restart() {
          await pgCtl('restart', '-m', 'fast');
        },
        async terminateAll() {
          const rows = await adminQuery<{ ended: boolean }>(admin, `select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
          return rows.filter((row) => row.ended).length;
        },
        freeze() {
          frozen = serverPids();
          for (const pid of frozen) process.kill(pid, 'SIGSTOP');
        },
        thaw,
      };
    },
    async stop() {
      thaw();
      await exec('pg_ctl', ['-D', data, 'stop', '-m', 'immediate', '-w']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
