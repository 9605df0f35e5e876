// Issue 15, finding 11: a start that cannot go on says why in one line naming the setting, and
// exits non-zero; the stack is for debug logs only.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { TEST_DATABASE_URL, TEST_DIALECT } from '../helpers/database.js';
import { CLI, cliEnvironment, freePort } from '../helpers/server-process.js';

const run = promisify(execFile);

async function serve(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, ['--import', 'tsx', CLI, 'serve'], { env: cliEnvironment(env), timeout: 60_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

function tempFolder(t: TestContext): string {
  const folder = mkdtempSync(join(tmpdir(), 'sd-start-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

function assertOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
  assert.match(lines[0] ?? '', pattern);
}

describe(`${TEST_DIALECT}: start failures`, () => {
  it('names SD_DATABASE_URL with the path when SQLite cannot open its file', async (t) => {
    const folder = tempFolder(t);
    const notAFolder = await serve({ SD_DATABASE_URL: 'sqlite:/dev/null/status.db', SD_DATA_DIR: folder });
    assert.equal(notAFolder.code, 1);
    assertOneLine(notAFolder.stderr, /^error: SD_DATABASE_URL: cannot open the SQLite database \/dev\/null\/status\.db: /);
    const aFolder = await serve({ SD_DATABASE_URL: `sqlite:${folder}`, SD_DATA_DIR: folder });
    assert.equal(aFolder.code, 1);
    assertOneLine(aFolder.stderr, new RegExp(`^error: SD_DATABASE_URL: cannot open the SQLite database ${folder}: cannot open the file \\(SQLITE_CANTOPEN\\)$`));
  });

  it('names SD_DATABASE_URL with host and port when PostgreSQL refuses or lacks the database, never the password', async (t) => {
    const folder = tempFolder(t);
    const port = await freePort();
    const refused = await serve({ SD_DATABASE_URL: `postgres://status:s3cret@127.0.0.1:${port}/status`, SD_DATA_DIR: folder });
    assert.equal(refused.code, 1);
    assertOneLine(refused.stderr, new RegExp(`^error: SD_DATABASE_URL: cannot use PostgreSQL database "status" at 127\\.0\\.0\\.1:${port} as status: connection refused \\(ECONNREFUSED\\)$`));
    assert.ok(!refused.stderr.includes('s3cret'));
    if (TEST_DIALECT !== 'postgres') return t.skip('no PostgreSQL server to ask for a missing database (set SD_TEST_DATABASE_URL)');
    const missing = new URL(TEST_DATABASE_URL);
    missing.pathname = '/sd_no_such_database';
    const absent = await serve({ SD_DATABASE_URL: missing.toString(), SD_DATA_DIR: folder });
    assert.equal(absent.code, 1);
    assertOneLine(absent.stderr, /^error: SD_DATABASE_URL: cannot use PostgreSQL database "sd_no_such_database" at .+: the database does not exist \(3D000\)$/);
  });

  it('names SD_DATA_DIR when the generated secret key cannot be kept', async () => {
    const result = await serve({ SD_DATABASE_URL: 'sqlite::memory:', SD_DATA_DIR: '/dev/null/data' });
    assert.equal(result.code, 1);
    assertOneLine(result.stderr, /^error: SD_DATA_DIR: cannot keep the generated secret key in \/dev\/null\/data\/secret-key: /);
  });

  it('names SD_PORT when the port is taken', async (t) => {
    const folder = tempFolder(t);
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    t.after(() => taken.close());
    const { port } = taken.address() as { port: number };
    const result = await serve({ SD_DATABASE_URL: 'sqlite::memory:', SD_DATA_DIR: folder, SD_HOST: '127.0.0.1', SD_PORT: String(port), SD_SECRET_KEY: 'start-failures' });
    assert.equal(result.code, 1);
    assertOneLine(result.stderr, new RegExp(`^error: SD_PORT: port ${port} on 127\\.0\\.0\\.1 is already in use$`));
  });
});
