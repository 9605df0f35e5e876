// Group commit: writes that queue for the lock share the next transaction, yet behave as if alone.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { loadEventViewsById } from '../../src/storage/events.js';
import { recordStatusReport } from '../../src/storage/status-reports.js';
import { batchedWrites } from '../../src/storage/write-transaction.js';
import { TestClock } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase, holdWriteLock } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { assertIncidentInvariants } from '../helpers/invariants.js';
import { databaseOf } from '../../src/storage/database-of.js';

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

describeEachDatabase('batched writes', () => {
  it('applies reports that queued behind a change in one transaction, each seeing the ones before it', async (t) => {
    const { store } = await createTestDatabase(t);
    await createComponents(store, { api: { region: 'R1' }, dns: { region: 'R1' } });
    const clock = new TestClock();
    const before = await store.committedVersion();
    const lock = holdWriteLock(store);
    const report = (name: string, impact: 1 | 2) => recordStatusReport(store, { component: { name, attributes: new Map() }, impact }, clock.read, 'test');
    const results = Promise.all([report('api', 1), report('api', 1), report('dns', 1), report('api', 2), report('dns', 1)]);
    lock.release();
    await lock.done;
    const [first, repeated, other, raised, repeatedOther] = await results;
    assert.equal(first?.outcome, 'changed');
    assert.equal(repeated?.outcome, 'conflict', 'the second report sees the incident the first one opened');
    assert.equal(other?.outcome, 'changed');
    assert.equal(raised?.outcome, 'changed');
    assert.equal(repeatedOther?.outcome, 'conflict');
    assert.equal(await store.committedVersion(), before + 1, 'one transaction published all of them');
    assert.deepEqual(await assertIncidentInvariants(store, clock.now), { activeSystemIncidents: 2 });
  });

  it('leaves the same events, timelines and audit rows as the same reports sent one at a time', async (t) => {
    const reports: [string, 1 | 2 | 3][] = [['api', 1], ['dns', 1], ['api', 1], ['api', 2], ['dns', 3], ['db', 2], ['api', 3], ['db', 1]];
    const outcome = async (batched: boolean) => {
      const { store } = await createTestDatabase(t);
      await createComponents(store, { api: { region: 'R1' }, dns: { region: 'R1' }, db: { region: 'R2' } });
      const clock = new TestClock();
      const send = ([name, impact]: [string, 1 | 2 | 3]) =>
        recordStatusReport(store, { component: { name, attributes: new Map() }, impact }, clock.read, 'test');
      if (batched) {
        const lock = holdWriteLock(store);
        const results = Promise.all(reports.map(send));
        lock.release();
        await lock.done;
        await results;
      } else {
        for (const report of reports) await send(report);
      }
      const [events, timeline, audit] = await Promise.all([
        databaseOf(store).selectFrom('event').select(['id', 'title', 'impact', 'start_at', 'end_at', 'status', 'system']).orderBy('id').execute(),
        databaseOf(store).selectFrom('event_update').select(['event_id', 'status', 'text', 'at']).orderBy('id').execute(),
        databaseOf(store).selectFrom('audit_log').select(['action', 'entity', 'entity_id', 'at', 'before', 'after']).orderBy('id').execute(),
      ]);
      const links = await loadEventViewsById(databaseOf(store), events.map((event) => Number(event.id)));
      return { events, links, timeline, audit: audit.map((row) => ({ ...row, before: parse(row.before), after: parse(row.after) })) };
    };
    const serial = await outcome(false);
    const batched = await outcome(true);
    assert.ok(serial.audit.length >= reports.length, 'the reports changed something');
    assert.deepEqual(batched, serial);
    // What the audit says each event became is what storage holds.
    const lastAfter = new Map(serial.audit.filter((row) => row.entity === 'event').map((row) => [Number(row.entity_id), row.after]));
    for (const view of serial.links) assert.deepEqual(lastAfter.get(view.id), JSON.parse(JSON.stringify(view)));
  });

  it('retries the items of a failed batch one by one, so that only the bad one fails', async (t) => {
    const { store } = await createTestDatabase(t);
    const attempts: string[][] = [];
    const write = batchedWrites<string, string>(async (context, items) => {
      attempts.push([...items]);
      await context.revision();
      if (items.includes('bad')) throw new Error('bad item');
      return items.map((item) => `${item} done`);
    });
    const lock = holdWriteLock(store);
    const results = Promise.allSettled([write(store, 'a'), write(store, 'bad'), write(store, 'b')]);
    lock.release();
    await lock.done;
    const [a, bad, b] = await results;
    assert.deepEqual(a, { status: 'fulfilled', value: 'a done' });
    assert.equal(bad?.status, 'rejected');
    assert.deepEqual(b, { status: 'fulfilled', value: 'b done' });
    assert.deepEqual(attempts, [['a', 'bad', 'b'], ['a'], ['bad'], ['b']]);
  });

  it('starts a new batch once a batch holds the lock, and caps a batch', async (t) => {
    const { store } = await createTestDatabase(t);
    const batches: number[][] = [];
    const write = batchedWrites<number, number>(async (_context, items) => {
      batches.push([...items]);
      return [...items];
    }, 3);
    const lock = holdWriteLock(store);
    const queued = Promise.all([1, 2, 3, 4].map((item) => write(store, item)));
    lock.release();
    await lock.done;
    assert.deepEqual(await queued, [1, 2, 3, 4]);
    assert.deepEqual(await write(store, 5), 5);
    assert.deepEqual(batches, [[1, 2, 3], [4], [5]]);
  });
});
