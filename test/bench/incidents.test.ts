import assert from 'node:assert/strict';
import { it } from 'node:test';
import { auditCounts, BENCH_ACTOR, resolveOpenIncidents } from '../../bench/incidents.js';
import { writeAudit } from '../../src/storage/audit.js';
import { findEvent } from '../../src/storage/events.js';
import { withWriteTransaction } from '../../src/storage/write-transaction.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import { databaseOf } from '../../src/storage/database-of.js';

describeEachDatabase('bench: resolving open incidents', () => {
  it('resolves every open incident as PATCH /v2/events would, in one change, and leaves other events alone', async (t) => {
    const { store } = await createTestDatabase(t);
    const [a, b, c] = await createComponents(store, { a: { region: 'EU-DE' }, b: { region: 'EU-NL' }, c: { region: 'EU-DE' } });
    if (!a || !b || !c) throw new Error('components not created');
    const open1 = await createEvent(store, { startAt: 1_000, system: true, impact: 2, componentIds: [a.id, b.id] });
    const open2 = await createEvent(store, { startAt: 2_000, system: true, componentIds: [c.id] });
    const closed = await createEvent(store, { startAt: 500, endAt: 900, status: 'resolved', componentIds: [a.id] });
    const maintenance = await createEvent(store, { type: 'maintenance', startAt: 1_000, endAt: 10_000_000, componentIds: [b.id] });
    const versionBefore = await store.committedVersion();

    assert.deepEqual(await resolveOpenIncidents(store, () => 5_000), { events: 2, links: 3 });
    assert.equal(await store.committedVersion(), versionBefore + 1, 'one change');

    for (const id of [open1, open2]) {
      const event = await findEvent(databaseOf(store), id);
      assert.equal(event?.endAt, 5_000);
      assert.equal(event?.status, 'resolved');
      assert.equal(event?.system, false, 'handed over from automation, as a person’s edit does');
      assert.equal(event?.updates[0]?.status, 'resolved');
      assert.equal(event?.updates[0]?.author, BENCH_ACTOR);
    }
    assert.equal((await findEvent(databaseOf(store), open1))?.impact, 2, 'impact kept');
    assert.equal((await findEvent(databaseOf(store), closed))?.endAt, 900);
    assert.equal((await findEvent(databaseOf(store), maintenance))?.endAt, 10_000_000);
    const audit = await databaseOf(store).selectFrom('audit_log').select(['actor', 'action', 'entity_id']).where('entity', '=', 'event').orderBy('entity_id').execute();
    assert.deepEqual(audit, [
      { actor: BENCH_ACTOR, action: 'event.update', entity_id: open1 },
      { actor: BENCH_ACTOR, action: 'event.update', entity_id: open2 },
    ]);

    assert.deepEqual(await resolveOpenIncidents(store, () => 6_000), { events: 0, links: 0 }, 'nothing left open');
  });

  it('counts what the rules did in the audit log, not the bench’s resolutions', async (t) => {
    const { store } = await createTestDatabase(t);
    const [a] = await createComponents(store, { a: { region: 'EU-DE' } });
    if (!a) throw new Error('component not created');
    const id = await createEvent(store, { startAt: 1_000, system: true, componentIds: [a.id] });
    await withWriteTransaction(store, (context) =>
      writeAudit(context.tx, [
        { at: 1_000, actor: 'api:monitoring', action: 'event.open', entity: 'event', entityId: id, before: null, after: {} },
        { at: 1_500, actor: 'api:monitoring', action: 'event.update', entity: 'event', entityId: id, before: {}, after: {} },
      ]),
    );
    assert.deepEqual(await auditCounts(store), { opened: 1, updated: 1 });
    await resolveOpenIncidents(store, () => 5_000);
    assert.deepEqual(await auditCounts(store), { opened: 1, updated: 1 });
  });
});
