// The `status-dashboard` executable (src/cli/bin.ts) as a user runs it: its own process, settings
// from the environment, the exit code of main(). Everything else about the commands is tested in
// this process (cli.test.ts, start-failures.test.ts).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertOneLine } from '../helpers/cli.js';
import { runCliProcess } from '../helpers/server-process.js';
import { tempFolder } from '../helpers/temp-folder.js';

describe('the status-dashboard executable', () => {
  it('runs a command and exits with its code: migrate 0, an unknown command 2 with the usage', async (t) => {
    const folder = tempFolder(t, 'bin');
    const migrated = await runCliProcess(['migrate'], { SD_DATABASE_URL: `sqlite:${join(folder, 'status.db')}`, SD_DATA_DIR: folder });
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /^applied: /m);
    assert.equal(migrated.stderr, '');
    const unknown = await runCliProcess(['frobnicate'], {});
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^error: unknown command "frobnicate"\n\nUsage: status-dashboard <command>/);
  });

  it('names SD_PORT when the port is taken, in one line on stderr, and exits 1', async (t) => {
    const folder = tempFolder(t, 'bin');
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    t.after(() => taken.close());
    const { port } = taken.address() as { port: number };
    const result = await runCliProcess(['serve'], { SD_DATABASE_URL: 'sqlite::memory:', SD_DATA_DIR: folder, SD_HOST: '127.0.0.1', SD_PORT: String(port), SD_SECRET_KEY: 'start-failures' });
    assert.equal(result.code, 1);
    assertOneLine(result.stderr, new RegExp(`^error: SD_PORT: port ${port} on 127\\.0\\.0\\.1 is already in use$`));
  });
});
