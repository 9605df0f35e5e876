// Issue 18: the delivery queue's claims and their settlement, on the database itself: which
// deliveries a claim takes, and that handing back an untried delivery never undoes what another
// instance did with it once the claim ran out.
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { claimDeliveries, settleDeliveries } from '../../src/storage/deliveries.js';
import { databaseOf } from '../../src/storage/database-of.js';
import type { Store } from '../../src/storage/store.js';
import { MINUTE } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';

const NOW = 1_800_000_000_000;

/** A webhook delivery per row, in this order (ids ascending): its state, when it is due, and its claim. */
async function deliveries(t: TestContext, rows: { state: string; dueAt: number; claimedUntil?: number; triedAt?: number }[]): Promise<{ store: Store; ids: number[] }> {
  const { store } = await createTestDatabase(t);
  const ids = [];
  for (const [index, row] of rows.entries()) {
    const inserted = await databaseOf(store)
      .insertInto('delivery')
      .values({
        channel: 'webhook',
        target_id: index + 1,
        kind: 'test',
        event_id: null,
        changes: '[]',
        state: row.state,
        due_at: row.dueAt,
        claimed_until: row.claimedUntil ?? null,
        attempts: row.triedAt === undefined ? 0 : 1,
        first_attempt_at: row.triedAt ?? null,
        created_at: NOW - 10 * MINUTE,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(Number(inserted.id));
  }
  return { store, ids };
}

const row = async (store: Store, id: number) => {
  const found = await databaseOf(store).selectFrom('delivery').select(['state', 'attempts', 'claimed_until', 'first_attempt_at']).where('id', '=', id).executeTakeFirstOrThrow();
  return { state: found.state, attempts: Number(found.attempts), claimedUntil: found.claimed_until === null ? null : Number(found.claimed_until), firstAttemptAt: found.first_attempt_at === null ? null : Number(found.first_attempt_at) };
};

describeEachDatabase('delivery claims (issue 18)', () => {
  it('claims the claims that ran out first, then what is due, earliest first, up to the limit', async (t) => {
    const { store, ids } = await deliveries(t, [
      { state: 'pending', dueAt: NOW - 1_000 },
      { state: 'pending', dueAt: NOW + 1_000 },
      { state: 'sending', dueAt: NOW - 5_000, claimedUntil: NOW + 1_000 },
      { state: 'pending', dueAt: NOW - 3_000 },
      { state: 'sending', dueAt: NOW - 2_000, claimedUntil: NOW - 1 },
      { state: 'sent', dueAt: NOW - 9_000 },
      { state: 'pending', dueAt: NOW - 2_000 },
    ]);
    const [due, notYet, stillClaimed, earliest, ranOut, , second] = ids;
    const claimed = await claimDeliveries(store, NOW, 3, MINUTE);
    assert.deepEqual(
      claimed.map((delivery) => delivery.id),
      [earliest, ranOut, second].sort((a, b) => (a ?? 0) - (b ?? 0)),
    );
    assert.ok(claimed.every((delivery) => delivery.claimedUntil === NOW + MINUTE && delivery.attempt === 1));
    assert.deepEqual(
      (await claimDeliveries(store, NOW, 10, MINUTE)).map((delivery) => delivery.id),
      [due],
      'what is not due, or claimed by an instance whose claim holds, waits',
    );
    assert.deepEqual((await row(store, notYet ?? 0)).state, 'pending');
    assert.deepEqual((await row(store, stillClaimed ?? 0)).claimedUntil, NOW + 1_000);
  });

  it('hands untried deliveries back as they were before the claim, unless the claim ran out and another instance took one', async (t) => {
    const { store, ids } = await deliveries(t, [
      { state: 'pending', dueAt: NOW - 3_000 },
      { state: 'pending', dueAt: NOW - 2_000 },
      { state: 'pending', dueAt: NOW - 1_000, triedAt: NOW - 5 * MINUTE },
    ]);
    const [lost, never, triedBefore] = ids;
    const claimed = await claimDeliveries(store, NOW, 3, MINUTE);
    // The claim runs out before the deliveries are handed back; another instance takes one of them.
    const other = await claimDeliveries(store, NOW + MINUTE + 1, 1, MINUTE);
    assert.deepEqual(
      other.map((delivery) => delivery.id),
      [lost],
    );
    const { results } = await settleDeliveries(
      store,
      claimed.map((delivery) => ({ delivery, outcome: { ok: false, unsent: true } as const })),
      NOW + MINUTE + 2,
    );
    assert.deepEqual(results, ['retry', 'retry', 'retry']);
    assert.deepEqual(await row(store, lost ?? 0), { state: 'sending', attempts: 2, claimedUntil: NOW + 2 * MINUTE + 1, firstAttemptAt: NOW }, "the other instance's claim stands");
    assert.deepEqual(await row(store, never ?? 0), { state: 'pending', attempts: 0, claimedUntil: null, firstAttemptAt: null });
    assert.deepEqual(await row(store, triedBefore ?? 0), { state: 'pending', attempts: 1, claimedUntil: null, firstAttemptAt: NOW - 5 * MINUTE });
    assert.deepEqual(
      (await claimDeliveries(store, NOW + MINUTE + 3, 10, MINUTE)).map((delivery) => delivery.id),
      [never, triedBefore],
      'due again at once',
    );
  });

  it('a failed try settled after its claim ran out never undoes what another instance did with the delivery', async (t) => {
    const { store, ids } = await deliveries(t, [
      { state: 'pending', dueAt: NOW - 3_000 },
      { state: 'pending', dueAt: NOW - 2_000 },
      { state: 'pending', dueAt: NOW - 1_000 },
    ]);
    const [sentElsewhere, sendingElsewhere, stillOurs] = ids;
    const claimed = await claimDeliveries(store, NOW, 3, MINUTE);
    // Our sends outlive the claim: another instance takes two of them and sends the first.
    const other = await claimDeliveries(store, NOW + MINUTE + 1, 2, MINUTE);
    assert.deepEqual(
      other.map((delivery) => delivery.id),
      [sentElsewhere, sendingElsewhere],
    );
    const [first] = other;
    assert.ok(first);
    await settleDeliveries(store, [{ delivery: first, outcome: { ok: true } }], NOW + MINUTE + 2);
    const retry = { ok: false, error: 'HTTP 500', final: false } as const;
    const giveUp = { ok: false, error: 'HTTP 410', final: true } as const;
    const late = await settleDeliveries(
      store,
      claimed.map((delivery) => ({ delivery, outcome: delivery.id === sendingElsewhere ? giveUp : retry })),
      NOW + MINUTE + 3,
      () => 0,
    );
    assert.deepEqual(late.results, ['retry', 'retry', 'retry'], 'nothing given up here, so no "given up" log or count for what the other instance is sending');
    assert.equal((await row(store, sentElsewhere ?? 0)).state, 'sent', 'a late retry would send it a third time');
    assert.deepEqual((await row(store, sendingElsewhere ?? 0)).state, 'sending', "a late give-up does not fail what the other instance is sending");
    assert.equal((await row(store, sendingElsewhere ?? 0)).claimedUntil, NOW + 2 * MINUTE + 1);
    assert.deepEqual((await row(store, stillOurs ?? 0)).state, 'pending', 'a delivery nobody else took is retried, even after the claim ran out');
  });
});

