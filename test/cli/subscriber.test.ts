// `status-dashboard subscriber list|remove` (issue 18), in this process, on both databases.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { it } from 'node:test';
import { listAuditLog } from '../../src/storage/audit-log.js';
import { confirmSubscriber, listSubscribers, requestSubscription } from '../../src/storage/subscribers.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { tempFolder } from '../helpers/temp-folder.js';

const AT = Date.parse('2026-03-10T12:00:00Z');

describeEachDatabase('status-dashboard subscriber', () => {
  it('lists the subscribers and removes one by id or address, audited as cli:<user>', async (t) => {
    const folder = tempFolder(t, 'cli-subscriber');
    const { store, url } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    const env = { SD_DATABASE_URL: url, SD_DATA_DIR: folder };
    assert.deepEqual(await runCli(['subscriber', 'list'], env), { code: 0, stdout: 'no subscribers\n', stderr: '' });

    const [ecs] = await createComponents(store, [['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute' }]]);
    const one = await requestSubscription(store, 'one@example.org', { place: { kind: 'region', region: 'EU-DE' }, incidents: 2, maintenances: true, notices: false }, AT);
    await confirmSubscriber(store, one.subscriberId, AT + 1000);
    const two = await requestSubscription(store, 'two@example.org', { place: { kind: 'components', componentIds: [ecs?.id ?? 0] }, incidents: 1, maintenances: false, notices: false }, AT);

    const listed = await runCli(['subscriber', 'list'], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(
      listed.stdout,
      `${one.subscriberId}\tone@example.org\tconfirmed\tMajor incidents and outages and maintenances in EU-DE\tcreated 2026-03-10T12:00:00.000Z\n` +
        `${two.subscriberId}\ttwo@example.org\tpending\tAll incidents of Elastic Cloud Server (EU-DE, Compute)\tcreated 2026-03-10T12:00:00.000Z\n`,
    );

    const byId = await runCli(['subscriber', 'remove', String(one.subscriberId)], env);
    assert.equal(byId.code, 0, byId.stderr);
    assert.equal(byId.stdout, `removed subscriber ${one.subscriberId} (one@example.org)\n`);
    const byAddress = await runCli(['subscriber', 'remove', 'TWO@example.org'], env);
    assert.equal(byAddress.code, 0, byAddress.stderr);
    assert.deepEqual(await listSubscribers(store), []);
    const audit = await listAuditLog(store, { entity: 'subscriber', action: 'subscriber.remove' });
    assert.deepEqual(audit.entries.map((entry) => entry.actor), [`cli:${userInfo().username}`, `cli:${userInfo().username}`]);

    const missing = await runCli(['subscriber', 'remove', 'nobody@example.org'], env);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'error: no subscriber nobody@example.org (see `status-dashboard subscriber list`)\n');
    for (const args of [['subscriber'], ['subscriber', 'remove'], ['subscriber', 'list', 'extra'], ['subscriber', 'purge']]) {
      const usage = await runCli(args, env);
      assert.equal(usage.code, 2, args.join(' '));
      assert.match(usage.stderr, /error: subscriber list or subscriber remove <id\|address>/);
    }
    assert.match((await runCli(['--help'], {})).stdout, /subscriber remove <id\|address>/);
  });
});
