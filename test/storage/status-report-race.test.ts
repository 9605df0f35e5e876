// Concurrent reports in one process: every state change is one serialised transaction.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { recordStatusReport } from '../../src/storage/status-reports.js';
import { MINUTE, TestClock } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { assertIncidentInvariants } from '../helpers/invariants.js';
import { databaseOf } from '../../src/storage/database-of.js';

describeEachDatabase('racing status reports', () => {
  it('opens exactly one incident when many reports for one component arrive at once', async (t) => {
    const { store } = await createTestDatabase(t);
    await createComponents(store, { api: { region: 'R1' } });
    const clock = new TestClock();
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        recordStatusReport(store, { component: { name: 'api', attributes: new Map() }, impact: 2 }, clock.read, 'test'),
      ),
    );
    assert.equal(results.filter((r) => r.outcome === 'changed').length, 1);
    assert.equal(results.filter((r) => r.outcome === 'conflict').length, 39);
    assert.deepEqual(await assertIncidentInvariants(store, clock.now), { activeSystemIncidents: 1 });
  });

  it('keeps every component and one incident per impact under overlapping rising reports', async (t) => {
    const { store } = await createTestDatabase(t);
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    await createComponents(store, names.map((name): [string, Record<string, string>] => [name, { region: 'R1' }]));
    const clock = new TestClock();
    // Each component's reports rise 1 → 2 → 3, interleaved with every other component's.
    const waves = [1, 2, 3] as const;
    for (const impact of waves) {
      const results = await Promise.all(
        names.flatMap((name) => [0, 1, 2].map(() => recordStatusReport(store, { component: { name, attributes: new Map() }, impact }, clock.read, 'test'))),
      );
      assert.ok(results.every((r) => r.outcome === 'changed' || r.outcome === 'conflict'));
      clock.advance(MINUTE);
      await assertIncidentInvariants(store, clock.now);
    }
    // In the end every component sits in the one outage incident; the others were emptied and closed.
    const active = await databaseOf(store)
      .selectFrom('event')
      .select(['id', 'impact'])
      .where('end_at', 'is', null)
      .execute();
    assert.deepEqual(active.map((e) => Number(e.impact)), [3]);
    const links = await databaseOf(store).selectFrom('event_component').select('component_id').where('event_id', '=', Number(active[0]?.id)).execute();
    assert.equal(links.length, names.length);
  });
});
