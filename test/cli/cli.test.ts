// The CLI as a user runs it, in this process: main() with the SD_ settings of each case and its
// output captured. test/cli/processes.test.ts runs the executable itself.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { verifyApiToken } from '../../src/auth/api-tokens.js';
import { verifyPassword } from '../../src/auth/passwords.js';
import { openStore } from '../../src/storage/store.js';
import { buildTestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { addTestOperator, asOperator, logInWithForm } from '../helpers/login-form.js';
import { runCli } from '../helpers/cli.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { databaseOf } from '../../src/storage/database-of.js';

const cli = (args: string[], env: Record<string, string>) => runCli(args, env);
/** The CLI with `input` piped to its stdin (not a terminal, so no prompt). */
const cliWithInput = (args: string[], env: Record<string, string>, input: string) => runCli(args, env, { input });

describeEachDatabase('status-dashboard CLI', () => {
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
    const folder = tempFolder(t, 'cli');
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
    const audit = await databaseOf(store).selectFrom('audit_log').select(['action', 'actor']).execute();
    assert.equal(audit.length, 2);
    assert.ok(audit.every((row) => row.action === 'component.create' && row.actor.startsWith('cli:')));
  });

  it('reports a broken catalog by file and entry, exit code 2', async (t) => {
    const folder = tempFolder(t, 'cli');
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
    assert.deepEqual(await verifyApiToken({ secretKey: 'cli-secret', payloadKey: 'probe' }, token), { name: 'zabbix', id: 'token:zabbix', role: 'admin' });
    assert.equal(await verifyApiToken({ secretKey: 'other', payloadKey: 'probe' }, token), undefined);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number; iat: number };
    assert.equal(payload.exp - payload.iat, 7200);
  });

  it('generates the secret key once in the data folder, readable only by its owner, and reuses it', async (t) => {
    const folder = tempFolder(t, 'cli');
    const first = await cli(['token'], { SD_DATA_DIR: folder });
    const second = await cli(['token'], { SD_DATA_DIR: folder });
    const key = readFileSync(join(folder, 'secret-key'), 'utf8').trim();
    assert.equal(statSync(join(folder, 'secret-key')).mode & 0o777, 0o600);
    for (const output of [first.stdout, second.stdout]) {
      assert.ok(await verifyApiToken({ secretKey: key, payloadKey: 'stackmon' }, output.trim()));
    }
    assert.ok(!first.stdout.includes(key) && !first.stderr.includes(key), 'the secret itself is never printed');
  });

  it('documents the operator commands in --help', async () => {
    const { stdout } = await cli(['--help'], {});
    for (const command of ['operator add <name> [--role ROLE]', 'operator passwd <name>', 'operator remove <name>', 'operator role <name> <role>', 'operator list', '--password-stdin', 'At least 12 characters']) {
      assert.ok(stdout.includes(command), command);
    }
  });

  it('adds, lists, changes the password of and removes local operators, each change audited', async (t) => {
    const folder = tempFolder(t, 'cli');
    const { url } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    const env = { SD_DATABASE_URL: url, SD_DATA_DIR: folder };
    const empty = await cli(['operator', 'list'], env);
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /no operators yet/);

    const added = await cliWithInput(['operator', 'add', 'alice'], env, 'correct horse battery\n');
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout, 'added operator alice\n');
    const creator = await cliWithInput(['operator', 'add', 'carol', '--role', 'creator', '--password-stdin'], env, 'correct horse battery\n');
    assert.equal(creator.stdout, 'added creator carol\n', creator.stderr);
    const badRole = await cliWithInput(['operator', 'add', 'dave', '--role', 'root'], env, 'correct horse battery\n');
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /"root" is not a role: creator, operator or admin/);
    assert.ok(!added.stdout.includes('correct horse') && !added.stderr.includes('correct horse'));
    const again = await cliWithInput(['operator', 'add', 'alice', '--password-stdin'], env, 'another long password\n');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^error: operator alice already exists$/m);
    const short = await cliWithInput(['operator', 'add', 'bob', '--password-stdin'], env, 'too short\n');
    assert.equal(short.code, 1);
    assert.match(short.stderr, /error: the password must have at least 12 characters/);
    const none = await cliWithInput(['operator', 'add', 'bob'], env, '');
    assert.equal(none.code, 1);
    assert.match(none.stderr, /error: no password given/);
    const badName = await cliWithInput(['operator', 'add', 'bad name!'], env, 'correct horse battery\n');
    assert.equal(badName.code, 1);
    assert.match(badName.stderr, /is not a valid username/);

    const listed = await cli(['operator', 'list'], env);
    assert.match(listed.stdout, /^alice\toperator\tcreated \d{4}-\d\d-\d\dT/);
    assert.match(listed.stdout, /^carol\tcreator\t/m);
    assert.equal(listed.stdout.trim().split('\n').length, 2);
    const promoted = await cli(['operator', 'role', 'carol', 'admin'], env);
    assert.equal(promoted.stdout, 'carol is now an admin; their open sessions have ended\n', promoted.stderr);
    assert.match((await cli(['operator', 'list'], env)).stdout, /^carol\tadmin\t/m);
    assert.equal((await cli(['operator', 'role', 'carol'], env)).code, 2);
    assert.equal((await cli(['operator', 'role', 'zed', 'admin'], env)).code, 1);
    assert.equal((await cli(['operator', 'remove', 'carol'], env)).code, 0);

    const store = openStore(url);
    t.after(() => store.close());
    const hashOf = async () => (await databaseOf(store).selectFrom('operator').select('password_hash').where('username', '=', 'alice').executeTakeFirstOrThrow()).password_hash;
    const firstHash = await hashOf();
    assert.equal(await verifyPassword('correct horse battery', firstHash), true);

    const changed = await cliWithInput(['operator', 'passwd', 'alice', '--password-stdin'], env, 'another long password\r\nignored\n');
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal(await verifyPassword('another long password', await hashOf()), true);
    const unknown = await cliWithInput(['operator', 'passwd', 'zed'], env, 'another long password\n');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /error: there is no operator zed/);

    const removed = await cli(['operator', 'remove', 'alice'], env);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal((await cli(['operator', 'remove', 'alice'], env)).code, 1);
    assert.match((await cli(['operator', 'list'], env)).stdout, /no operators yet/);
    assert.equal((await cli(['operator', 'frob', 'alice'], env)).code, 2);
    assert.equal((await cli(['operator', 'add'], env)).code, 2);

    const audit = await databaseOf(store).selectFrom('audit_log').select(['action', 'actor', 'entity', 'before', 'after']).where('entity', '=', 'operator').orderBy('id').execute();
    assert.deepEqual(
      audit.map((row) => row.action),
      ['operator.create', 'operator.create', 'operator.role', 'operator.remove', 'operator.password', 'operator.remove'],
    );
    assert.ok(audit.every((row) => row.actor.startsWith('cli:')));
    assert.ok(audit.every((row) => !`${row.before}${row.after}`.includes('scrypt')), 'the hash never reaches the audit log');
  });

  it('lists the open operator sessions and ends those of one subject, or all, so that every instance refuses their cookies', async (t) => {
    const folder = tempFolder(t, 'cli');
    const { store, url } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    const env = { SD_DATABASE_URL: url, SD_DATA_DIR: folder };
    // A dashboard on the same database, its clock now: the CLI's clock is the real one.
    const test = await buildTestApp(t, { store, clock: new TestClock(Date.now()) });
    await addTestOperator(test, 'alice');
    await addTestOperator(test, 'bob');
    const alice = [await logInWithForm(test.app, 'alice'), await logInWithForm(test.app, 'alice')];
    const bob = await logInWithForm(test.app, 'bob');
    const gate = async (session: string) => (await test.app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session) })).statusCode;

    const listed = await cli(['session', 'list'], env);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0] ?? '', /^local:alice\talice\tsince \d{4}-\d\d-\d\dT[^\t]+\tuntil \d{4}-/);
    for (const session of [...alice, bob]) assert.ok(!listed.stdout.includes(session));

    const ended = await cli(['session', 'end', 'local:alice'], env);
    assert.equal(ended.code, 0, ended.stderr);
    assert.equal(ended.stdout, 'ended 2 sessions of local:alice\n');
    for (const session of alice) assert.equal(await gate(session), 401);
    assert.equal(await gate(bob), 200);
    const again = await cli(['session', 'end', 'local:alice'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^error: local:alice has no open session/);

    const all = await cli(['session', 'end', '--all'], env);
    assert.equal(all.stdout, 'ended 1 session\n');
    assert.equal(await gate(bob), 401);
    assert.equal((await cli(['session', 'list'], env)).stdout, 'no open sessions\n');
    for (const wrong of [['session'], ['session', 'end'], ['session', 'end', 'local:bob', '--all'], ['session', 'list', 'local:bob'], ['session', 'frob']]) {
      assert.equal((await cli(wrong, env)).code, 2, wrong.join(' '));
    }
    const help = await cli(['--help'], {});
    for (const command of ['session list', 'session end <subject>', 'session end --all']) assert.ok(help.stdout.includes(command), command);
  });
});
