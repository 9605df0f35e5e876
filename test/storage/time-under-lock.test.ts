// Spec §8, time under the lock: a change is dated when it holds the write lock, never before a
// change that committed earlier, whatever the clocks of the instances say.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { recordStatusReport } from '../../src/storage/status-reports.js';
import { TestClock } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase, holdWriteLock } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { assertIncidentInvariants } from '../helpers/invariants.js';
import { databaseOf } from '../../src/storage/database-of.js';

const report = (name: string) => ({ component: { name, attributes: new Map<string, string>() }, impact: 1 as const });

describeEachDatabase('time under the write lock', () => {
  it('dates a report by the clock once the lock is held, not when it arrived', async (t) => {
    const { store } = await createTestDatabase(t);
    await createComponents(store, { api: { region: 'R1' } });
    const clock = new TestClock();
    const lock = holdWriteLock(store);
    const result = recordStatusReport(store, report('api'), clock.read, 'test');
    const heldUntil = clock.advance(5_000);
    lock.release();
    await lock.done;
    const outcome = await result;
    assert.equal(outcome.outcome, 'changed');
    const event = await databaseOf(store).selectFrom('event').select('start_at').executeTakeFirstOrThrow();
    assert.equal(Number(event.start_at), heldUntil);
  });

  it('joins an incident that an instance with a clock ahead opened, instead of opening a second one', async (t) => {
    const { store } = await createTestDatabase(t);
    await createComponents(store, { api: { region: 'R1' }, dns: { region: 'R1' } });
    const behind = new TestClock();
    const ahead = new TestClock(behind.now + 3_000);
    assert.equal((await recordStatusReport(store, report('api'), ahead.read, 'instance A')).outcome, 'changed');
    // Instance B's clock is 3 s behind: by it, the incident has not started yet.
    assert.equal((await recordStatusReport(store, report('dns'), behind.read, 'instance B')).outcome, 'changed');
    assert.deepEqual(await assertIncidentInvariants(store, ahead.now), { activeSystemIncidents: 1 });
    const entries = await databaseOf(store).selectFrom('event_update').select('at').orderBy('id').execute();
    assert.ok(
      entries.every((entry) => Number(entry.at) >= ahead.now),
      'no entry is dated before the commit it follows',
    );
  });
});
