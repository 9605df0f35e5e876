// `status-dashboard webhook list|add|remove|test|enable|disable` (issue 18), in this process, on
// both databases: the secret printed once, private targets refused unless SD_WEBHOOK_ALLOW_PRIVATE,
// every change audited as cli:<user>.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { it } from 'node:test';
import { listAuditLog } from '../../src/storage/audit-log.js';
import { recentDeliveries } from '../../src/storage/deliveries.js';
import { findWebhook, listWebhooks, noteWebhookOutcome } from '../../src/storage/webhooks.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { tempFolder } from '../helpers/temp-folder.js';

const HOUR = 60 * 60_000;

describeEachDatabase('status-dashboard webhook', () => {
  it('adds (printing the secret once), lists, tests, disables, enables and removes webhooks, audited as cli:<user>', async (t) => {
    const folder = tempFolder(t, 'cli-webhook');
    const { store, url } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    const env = { SD_DATABASE_URL: url, SD_DATA_DIR: folder };
    assert.deepEqual(await runCli(['webhook', 'list'], env), { code: 0, stdout: 'no webhooks: add one with `status-dashboard webhook add <url>`\n', stderr: '' });

    const added = await runCli(['webhook', 'add', 'https://93.184.215.14/hooks/status', '--format', 'teams'], env);
    assert.equal(added.code, 0, added.stderr);
    const [webhook] = await listWebhooks(store);
    assert.ok(webhook);
    const secret = (await findWebhook(store, webhook.id))?.secret ?? '';
    assert.equal(
      added.stdout,
      `added webhook ${webhook.id}: https://93.184.215.14/hooks/status (teams), all incidents, maintenances and notices of the whole cloud\n` +
        `signing secret, shown this once (the receiver checks X-Status-Dashboard-Signature with it):\n${secret}\n`,
    );

    const listed = await runCli(['webhook', 'list'], env);
    assert.equal(listed.stdout, `${webhook.id}\tenabled\tteams\thttps://93.184.215.14/hooks/status\tAll incidents, maintenances and notices of the whole cloud\n`);
    assert.ok(!listed.stdout.includes(secret));

    const tested = await runCli(['webhook', 'test', String(webhook.id)], env);
    assert.equal(tested.code, 0, tested.stderr);
    const [delivery] = await recentDeliveries(store, 'webhook', webhook.id);
    assert.equal(tested.stdout, `queued test delivery ${delivery?.id} to webhook ${webhook.id}: a running server sends it within seconds (see \`webhook list\` or /webhooks)\n`);
    assert.deepEqual([delivery?.kind, delivery?.state], ['test', 'pending']);

    assert.equal((await runCli(['webhook', 'disable', String(webhook.id)], env)).stdout, `webhook ${webhook.id} is disabled\n`);
    assert.match((await runCli(['webhook', 'list'], env)).stdout, /^\d+\tdisabled \(disabled by an operator\)\tteams\t/);
    assert.equal((await runCli(['webhook', 'enable', String(webhook.id)], env)).stdout, `webhook ${webhook.id} is enabled\n`);

    // A webhook disabled by its failures says why, and since when it failed.
    const since = Date.now() - 27 * HOUR;
    await noteWebhookOutcome(store, webhook.id, { ok: false, error: 'HTTP 500: nope' }, since);
    await noteWebhookOutcome(store, webhook.id, { ok: false, error: 'HTTP 500: nope' }, Date.now());
    assert.equal(
      (await runCli(['webhook', 'list'], env)).stdout,
      `${webhook.id}\tdisabled (every delivery failed since ${new Date(since).toISOString()}: HTTP 500: nope)\tteams\thttps://93.184.215.14/hooks/status\tAll incidents, maintenances and notices of the whole cloud\tfailing since ${new Date(since).toISOString()}\n`,
    );

    const removed = await runCli(['webhook', 'remove', String(webhook.id)], env);
    assert.deepEqual(removed, { code: 0, stdout: `removed webhook ${webhook.id} (https://93.184.215.14/hooks/status)\n`, stderr: '' });
    assert.deepEqual(await listWebhooks(store), []);

    const actor = `cli:${userInfo().username}`;
    const audit = (await listAuditLog(store, { entity: 'webhook' })).entries.reverse();
    assert.deepEqual(
      audit.map((entry) => [entry.action, entry.actor]),
      [
        ['webhook.create', actor],
        ['webhook.disable', actor],
        ['webhook.enable', actor],
        ['webhook.disable', 'system:notifications'],
        ['webhook.remove', actor],
      ],
    );
    assert.ok(!JSON.stringify(audit).includes(secret), 'no secret in the audit log');
  });

  it('refuses private targets unless SD_WEBHOOK_ALLOW_PRIVATE, unknown webhooks and bad arguments', async (t) => {
    const folder = tempFolder(t, 'cli-webhook');
    const { store, url } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    const env = { SD_DATABASE_URL: url, SD_DATA_DIR: folder };
    for (const target of ['http://127.0.0.1:8080/hook', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/hook', 'http://10.0.0.1/hook', 'http://localhost/hook']) {
      const refused = await runCli(['webhook', 'add', target], env);
      assert.equal(refused.code, 1, target);
      assert.match(refused.stderr, /^error: url refused: .*(is a loopback, private or link-local address|resolves only to loopback, private or link-local addresses).* unless SD_WEBHOOK_ALLOW_PRIVATE is set\n$/, target);
    }
    assert.match((await runCli(['webhook', 'add', 'ftp://example.com/hook'], env)).stderr, /^error: url refused: only http:\/\/ and https:\/\/ URLs\n$/);
    assert.deepEqual(await listWebhooks(store), []);
    const allowed = await runCli(['webhook', 'add', 'http://127.0.0.1:8080/hook'], { ...env, SD_WEBHOOK_ALLOW_PRIVATE: 'true' });
    assert.equal(allowed.code, 0, allowed.stderr);

    for (const action of ['remove', 'test', 'enable', 'disable']) {
      assert.deepEqual(await runCli(['webhook', action, '999'], env), { code: 1, stdout: '', stderr: 'error: no webhook 999 (see `status-dashboard webhook list`)\n' }, action);
      assert.equal((await runCli(['webhook', action], env)).code, 2, `${action} without an id`);
    }
    assert.equal((await runCli(['webhook', 'test', 'abc'], env)).code, 1);
    const badFormat = await runCli(['webhook', 'add', 'https://93.184.215.14/hook', '--format', 'xml'], env);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /^error: "xml" is not a format: json, slack, teams or discord\n/);
    for (const args of [['webhook'], ['webhook', 'frob', '1'], ['webhook', 'list', 'extra'], ['webhook', 'remove', '1', '--format', 'json'], ['webhook', 'add']]) {
      const wrong = await runCli(args, env);
      assert.equal(wrong.code, 2, args.join(' '));
      assert.match(wrong.stderr, /^error: webhook list, webhook add <url> \[--format json\|slack\|teams\|discord\], or webhook remove\|test\|enable\|disable <id>\n/, args.join(' '));
    }
    assert.equal((await runCli(['webhook', 'list', '--colour'], env)).code, 2, 'an unknown option');
    assert.equal((await listWebhooks(store)).length, 1);
  });

  it('is in --help', async () => {
    const { stdout } = await runCli(['--help']);
    for (const command of ['webhook list', 'webhook add <url> [--format json|slack|teams|discord]', 'webhook remove|test|enable|disable <id>']) assert.ok(stdout.includes(command), command);
  });
});
