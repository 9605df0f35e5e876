// The in-memory read model follows every committed change, loading only what changed.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ReadModel } from '../../src/read-model/read-model.js';
import { recordStatusReport } from '../../src/storage/status-reports.js';
import { TestClock } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { withWriteTransaction } from '../../src/storage/write-transaction.js';
import { HOUR } from '../helpers/clock.js';
import { createComponents, createEvent } from '../helpers/factories.js';

describeEachDatabase('read model', () => {
  it('reflects opened, joined and moved incidents, and components leaving an incident', async (t) => {
    const { store } = await createTestDatabase(t);
    const [a, b] = await createComponents(store, [
      ['A', { region: 'R1' }],
      ['B', { region: 'R1' }],
    ]);
    const model = new ReadModel(store);
    const clock = new TestClock();
    const post = (name: string, impact: 1 | 2 | 3) => recordStatusReport(store, { component: { name, attributes: new Map() }, impact }, clock.read, 'test');

    await model.fresh();
    assert.equal(model.components.size, 2);
    assert.equal(model.events.size, 0);

    await post('A', 1);
    await post('B', 1);
    await model.fresh();
    const [minor] = [...model.events.values()];
    assert.deepEqual(minor?.componentIds, [a?.id, b?.id]);
    assert.deepEqual(model.eventsOf(b?.id ?? 0).map((e) => e.id), [minor?.id]);

    await post('B', 3); // H-D: B leaves the minor incident for a new outage incident
    await model.fresh();
    assert.equal(model.events.size, 2);
    assert.deepEqual(model.events.get(minor?.id ?? 0)?.componentIds, [a?.id]);
    const outage = [...model.events.values()].find((e) => e.impact === 3);
    assert.deepEqual(model.eventsOf(b?.id ?? 0).map((e) => e.id), [outage?.id]);
  });

  it('builds memoised values once per version and rebuilds them after a write', async (t) => {
    const { store } = await createTestDatabase(t);
    await createComponents(store, { A: {} });
    const model = new ReadModel(store);
    let builds = 0;
    const size = async () => (await model.fresh()).memoize('events', () => (builds++, model.events.size));
    assert.equal(await size(), 0);
    assert.equal(await size(), 0);
    assert.equal(builds, 1);
    await recordStatusReport(store, { component: { name: 'A', attributes: new Map() }, impact: 1 }, Date.now, 'test');
    assert.equal(await size(), 1);
    assert.equal(builds, 2);
  });

  it('does not bump the version for a report that changes nothing', async (t) => {
    const { store } = await createTestDatabase(t);
    await createComponents(store, { A: {} });
    await recordStatusReport(store, { component: { name: 'A', attributes: new Map() }, impact: 2 }, Date.now, 'test');
    const before = await store.committedVersion();
    const conflict = await recordStatusReport(store, { component: { name: 'A', attributes: new Map() }, impact: 1 }, Date.now, 'test');
    assert.equal(conflict.outcome, 'conflict');
    assert.equal(await store.committedVersion(), before);
  });

  it('lists active events by the one definition, and an ended event again once it is reopened', async (t) => {
    const { store } = await createTestDatabase(t);
    const now = new TestClock().now;
    const open = await createEvent(store, { startAt: now - HOUR });
    const endsLater = await createEvent(store, { startAt: now - HOUR, endAt: now + HOUR });
    const ended = await createEvent(store, { startAt: now - 2 * HOUR, endAt: now - HOUR });
    await createEvent(store, { type: 'maintenance', startAt: now + HOUR, endAt: now + 2 * HOUR });
    const model = await new ReadModel(store).fresh();
    const ids = () => model.activeEvents(now).map((event) => event.id).sort((a, b) => a - b);
    assert.deepEqual(ids(), [open, endsLater]);
    assert.deepEqual(ids(), [open, endsLater], 'asking again gives the same answer');
    assert.deepEqual(model.activeEvents(now + 2 * HOUR).map((event) => event.id), [open]);

    await withWriteTransaction(store, async (context) => {
      const revision = await context.revision();
      await context.tx.updateTable('event').set({ end_at: null, revision }).where('id', '=', ended).execute();
    });
    await model.fresh();
    const later = model.activeEvents(now + 2 * HOUR).map((event) => event.id).sort((a, b) => a - b);
    assert.deepEqual(later, [open, ended]);
  });

  it('finds components by exact name and attribute subset', async (t) => {
    const { store } = await createTestDatabase(t);
    const [cmp1, cmp2] = await createComponents(store, { cmp1: { a1: 'v1', a2: 'v2' }, cmp2: { a1: 'v1' } });
    const model = await new ReadModel(store).fresh();
    assert.equal(model.findComponent('cmp1', new Map([['a1', 'v1']]))?.id, cmp1?.id);
    assert.equal(model.findComponent('cmp2', new Map()), cmp2 && model.components.get(cmp2.id));
    assert.equal(model.findComponent('cmp2', new Map([['a2', 'v2']])), undefined);
    assert.equal(model.findComponent('cmp', new Map()), undefined);
  });
});
