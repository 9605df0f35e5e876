import assert from 'node:assert/strict';
import { it } from 'node:test';
import { findEvent } from '../../src/storage/events.js';
import { advanceLifecycles } from '../../src/storage/lifecycle.js';
import { HOUR, TestClock } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { createEvent } from '../helpers/factories.js';
import { databaseOf } from '../../src/storage/database-of.js';

describeEachDatabase('lifecycle of maintenance windows', () => {
  it('writes "in progress" and "completed" once each, also when runs overlap', async (t) => {
    const { store } = await createTestDatabase(t);
    const clock = new TestClock();
    const id = await createEvent(store, { type: 'maintenance', status: 'planned', startAt: clock.now + HOUR, endAt: clock.now + 2 * HOUR });
    const cancelled = await createEvent(store, { type: 'maintenance', status: 'cancelled', startAt: clock.now - HOUR, endAt: clock.now + HOUR });
    assert.equal(await advanceLifecycles(store, clock.now), 0);
    clock.advance(90 * 60_000);
    assert.deepEqual(await Promise.all([advanceLifecycles(store, clock.now), advanceLifecycles(store, clock.now)]).then((n) => n.sort()), [0, 1]);
    clock.advance(HOUR);
    assert.equal(await advanceLifecycles(store, clock.now), 1);
    assert.equal(await advanceLifecycles(store, clock.now), 0);
    const event = await findEvent(databaseOf(store), id);
    assert.deepEqual(event?.updates.map((u) => [u.status, u.at]).reverse(), [
      ['in progress', clock.now - HOUR - 30 * 60_000],
      ['completed', clock.now - 30 * 60_000],
    ]);
    assert.deepEqual((await findEvent(databaseOf(store), cancelled))?.updates, []);
  });
});
