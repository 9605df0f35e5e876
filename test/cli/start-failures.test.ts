// Issue 15, finding 11: a start that cannot go on says why in one line naming the setting, and
// exits non-zero; the stack is for debug logs only. In this process through main(); the port
// that is taken, which needs the real executable, is in test/cli/processes.test.ts.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertOneLine, runCli } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/server-process.js';
import { tempFolder } from '../helpers/temp-folder.js';

/** `serve` in this process; one that starts after all stops again after a minute, and fails the test. */
const serve = (env: Record<string, string>) => runCli(['serve'], env, { signal: AbortSignal.timeout(60_000) });

describeEachDatabase('start failures', (database) => {
  it('names SD_DATABASE_URL with the path when SQLite cannot open its file', async (t) => {
    const folder = tempFolder(t, 'start');
    const notAFolder = await serve({ SD_DATABASE_URL: 'sqlite:/dev/null/status.db', SD_DATA_DIR: folder });
    assert.equal(notAFolder.code, 1);
    assertOneLine(notAFolder.stderr, /^error: SD_DATABASE_URL: cannot open the SQLite database \/dev\/null\/status\.db: /);
    const aFolder = await serve({ SD_DATABASE_URL: `sqlite:${folder}`, SD_DATA_DIR: folder });
    assert.equal(aFolder.code, 1);
    assertOneLine(aFolder.stderr, new RegExp(`^error: SD_DATABASE_URL: cannot open the SQLite database ${folder}: cannot open the file \\(SQLITE_CANTOPEN\\)$`));
  });

  it('names SD_DATABASE_URL with host and port when PostgreSQL refuses, never the password', async (t) => {
    const folder = tempFolder(t, 'start');
    const port = await freePort();
    const refused = await serve({ SD_DATABASE_URL: `postgres://status:s3cret@127.0.0.1:${port}/status`, SD_DATA_DIR: folder });
    assert.equal(refused.code, 1);
    assertOneLine(refused.stderr, new RegExp(`^error: SD_DATABASE_URL: cannot use PostgreSQL database "status" at 127\\.0\\.0\\.1:${port} as status: connection refused \\(ECONNREFUSED\\)$`));
    assert.ok(!refused.stderr.includes('s3cret'));
  });

  it('names SD_DATABASE_URL with host and port when PostgreSQL lacks the database', { skip: database.dialect === 'postgres' ? false : 'needs a PostgreSQL server to ask for a missing database: the postgres suite asks it' }, async (t) => {
    const folder = tempFolder(t, 'start');
    const missing = new URL(database.url);
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
});
