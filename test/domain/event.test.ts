// Spec §1's one definition of "active", and the timeline order (newest first).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_TYPES, SYSTEM_STATUS, compareUpdatesNewestFirst, isActive, nextStartOrEnd, type EventUpdate } from '../../src/domain/event.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('isActive (spec §1: start <= now and no end or end > now)', () => {
  const cases: { name: string; startAt: number; endAt: number | null; expected: boolean }[] = [
    { name: 'started in the past with no end', startAt: NOW - DAY, endAt: null, expected: true },
    { name: 'starting exactly now with no end', startAt: NOW, endAt: null, expected: true },
    { name: 'started in the past and ending in the future', startAt: NOW - DAY, endAt: NOW + MINUTE, expected: true },
    { name: 'ending one millisecond from now', startAt: NOW - DAY, endAt: NOW + 1, expected: true },
    { name: 'ending exactly now', startAt: NOW - DAY, endAt: NOW, expected: false },
    { name: 'ended in the past', startAt: NOW - DAY, endAt: NOW - MINUTE, expected: false },
    { name: 'starting in the future with no end', startAt: NOW + 1, endAt: null, expected: false },
    { name: 'planned: start and end in the future', startAt: NOW + MINUTE, endAt: NOW + DAY, expected: false },
    { name: 'started and ended at the same past instant', startAt: NOW - DAY, endAt: NOW - DAY, expected: false },
  ];
  for (const { name, startAt, endAt, expected } of cases) {
    it(`returns ${expected} for an event ${name}`, () => {
      assert.equal(isActive({ startAt, endAt }, NOW), expected);
    });
  }
});

describe('compareUpdatesNewestFirst', () => {
  const update = (id: number, at: number): EventUpdate => ({ id, status: 'analyzing', text: `u${id}`, at, author: null });

  it('sorts updates newest first', () => {
    const updates = [update(1, NOW - 2 * MINUTE), update(2, NOW), update(3, NOW - MINUTE)];
    assert.deepEqual(updates.sort(compareUpdatesNewestFirst).map((u) => u.id), [2, 3, 1]);
  });

  it('sorts updates of the same instant in reverse order of writing (higher id first)', () => {
    const updates = [update(4, NOW), update(6, NOW), update(5, NOW), update(3, NOW - MINUTE)];
    assert.deepEqual(updates.sort(compareUpdatesNewestFirst).map((u) => u.id), [6, 5, 4, 3]);
  });

  it('orders a back-dated update after a newer one even when it was written later', () => {
    const updates = [update(1, NOW), update(2, NOW - DAY)];
    assert.deepEqual(updates.sort(compareUpdatesNewestFirst).map((u) => u.id), [1, 2]);
  });

  const signs: { name: string; a: EventUpdate; b: EventUpdate; sign: -1 | 0 | 1 }[] = [
    { name: 'a newer than b', a: update(1, NOW), b: update(2, NOW - MINUTE), sign: -1 },
    { name: 'a older than b', a: update(2, NOW - MINUTE), b: update(1, NOW), sign: 1 },
    { name: 'same instant, a written later', a: update(2, NOW), b: update(1, NOW), sign: -1 },
    { name: 'same instant, a written earlier', a: update(1, NOW), b: update(2, NOW), sign: 1 },
    { name: 'the same update', a: update(1, NOW), b: update(1, NOW), sign: 0 },
  ];
  for (const { name, a, b, sign } of signs) {
    it(`returns a ${sign < 0 ? 'negative' : sign > 0 ? 'positive' : 'zero'} number when ${name}`, () => {
      assert.equal(Math.sign(compareUpdatesNewestFirst(a, b)), sign);
    });
  }
});

describe('event constants', () => {
  it('has the three event types of spec §1', () => {
    assert.deepEqual([...EVENT_TYPES], ['incident', 'maintenance', 'info']);
  });

  it("uses 'SYSTEM' as the status of server-written updates (reference v1 §1.5)", () => {
    assert.equal(SYSTEM_STATUS, 'SYSTEM');
  });
});

describe('nextStartOrEnd (when what events say of themselves changes by itself)', () => {
  it('is the first start or end after now, ignoring those at or before it', () => {
    const events = [
      { startAt: NOW - DAY, endAt: NOW + DAY },
      { startAt: NOW + 2 * MINUTE, endAt: null },
      { startAt: NOW - MINUTE, endAt: NOW },
    ];
    assert.equal(nextStartOrEnd(events, NOW), NOW + 2 * MINUTE);
    assert.equal(nextStartOrEnd(events, NOW + 2 * MINUTE), NOW + DAY);
  });

  it('is never when nothing starts or ends any more', () => {
    assert.equal(nextStartOrEnd([{ startAt: NOW - DAY, endAt: null }], NOW), Number.POSITIVE_INFINITY);
    assert.equal(nextStartOrEnd([], NOW), Number.POSITIVE_INFINITY);
  });
});
