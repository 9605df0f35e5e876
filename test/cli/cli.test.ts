// The CLI as a user runs it: its own process, configuration from the environment.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { verifyApiToken } from '../../src/auth/api-tokens.js';
import { openStore } from '../../src/storage/store.js';
import { createTestDatabase, TEST_DIALECT } from '../helpers/database.js';
import { CLI, cliEnvironment } from '../helpers/server-process.js';

const run = promisify(execFile);

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', CLI, ...args], { env: cliEnvironment(env) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function tempFolder(t: TestContext): string {
  const folder = mkdtempSync(join(tmpdir(), 'sd-cli-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

describe(`${TEST_DIALECT}: status-dashboard CLI`, () => {
  it('prints its commands with --help', async () => {
    const { code, stdout } = await cli(['--help'], {});
    assert.equal(code, 0);
    for (const command of ['serve', 'migrate', 'catalog sync', 'token']) assert.ok(stdout.includes(command), command);
  });

  it('refuses an unknown command with exit code 2 and the usage', async () => {
    const { code, stderr } = await cli(['frobnicate'], {});
    assert.equal(code, 2);
    assert.match(stderr, /unknown command "frobnicate"/);
  });

  it('names each bad setting on one line and exits 2', async () => {
    const { code, stderr } = await cli(['migrate'], { SD_PORT: 'eighty', SD_DATABASE_URL: 'mysql://x', SD_LOG_LEVEL: 'loud' });
    assert.equal(code, 2);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 3, stderr);
    assert.ok(lines.some((line) => line.startsWith('configuration: SD_PORT:')));
    assert.ok(lines.some((line) => line.startsWith('configuration: SD_DATABASE_URL: expected sqlite:<path>')));
    assert.ok(lines.some((line) => line.startsWith('configuration: SD_LOG_LEVEL:')));
  });

  it('migrates, then syncs a catalog idempotently', async (t) => {
    const folder = tempFolder(t);
    const { url } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    const env = { SD_DATABASE_URL: url, SD_DATA_DIR: folder };
    const migrated = await cli(['migrate'], env);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /schema is up to date|applied/);
    const catalog = join(folder, 'catalog.yaml');
    writeFileSync(catalog, 'components:\n  - name: Component11\n    attributes: {region: Region1, category: Cat1}\n  - name: Component11\n    attributes: {region: Region2, category: Cat1}\n');
    const first = await cli(['catalog', 'sync', catalog], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /added Component11 \(Region1, Cat1\)/);
    assert.match(first.stdout, /2 added, 0 already present/);
    const second = await cli(['catalog', 'sync', catalog], env);
    assert.match(second.stdout, /0 added, 2 already present/);
    const store = openStore(url);
    t.after(() => store.close());
    const audit = await store.db.selectFrom('audit_log').select(['action', 'actor']).execute();
    assert.equal(audit.length, 2);
    assert.ok(audit.every((row) => row.action === 'component.create' && row.actor.startsWith('cli:')));
  });

  it('reports a broken catalog by file and entry, exit code 2', async (t) => {
    const folder = tempFolder(t);
    const { url } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    const catalog = join(folder, 'broken.yaml');
    writeFileSync(catalog, 'components:\n  - attributes: {region: R1}\n');
    const { code, stderr } = await cli(['catalog', 'sync', catalog], { SD_DATABASE_URL: url });
    assert.equal(code, 2);
    assert.match(stderr, /broken\.yaml: components\[0\]: "name" must be a non-empty string/);
    const missing = await cli(['catalog', 'sync', join(folder, 'nope.yaml')], { SD_DATABASE_URL: url });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nope\.yaml: ENOENT/);
  });

  it('mints a token that the configured secret verifies, with an optional expiry', async () => {
    const { code, stdout } = await cli(['token', '--subject', 'zabbix', '--expires-in', '2h'], { SD_SECRET_KEY: 'cli-secret', SD_API_PAYLOAD_KEY: 'probe' });
    assert.equal(code, 0);
    const token = stdout.trim();
    assert.deepEqual(await verifyApiToken({ secretKey: 'cli-secret', payloadKey: 'probe' }, token), { name: 'zabbix' });
    assert.equal(await verifyApiToken({ secretKey: 'other', payloadKey: 'probe' }, token), undefined);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number; iat: number };
    assert.equal(payload.exp - payload.iat, 7200);
  });

  it('generates the secret key once in the data folder, readable only by its owner, and reuses it', async (t) => {
    const folder = tempFolder(t);
    const first = await cli(['token'], { SD_DATA_DIR: folder });
    const second = await cli(['token'], { SD_DATA_DIR: folder });
    const key = readFileSync(join(folder, 'secret-key'), 'utf8').trim();
    assert.equal(statSync(join(folder, 'secret-key')).mode & 0o777, 0o600);
    for (const output of [first.stdout, second.stdout]) {
      assert.ok(await verifyApiToken({ secretKey: key, payloadKey: 'stackmon' }, output.trim()));
    }
    assert.ok(!first.stdout.includes(key) && !first.stderr.includes(key), 'the secret itself is never printed');
  });
});
