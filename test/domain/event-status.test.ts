import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventType } from '../../src/domain/event.js';
import { matchesEventFilter } from '../../src/domain/event-filter.js';
import { currentStatus } from '../../src/domain/event-status.js';

const now = 1_000_000;
const event = (type: EventType, startAt: number, endAt: number | null, status: string | null = null) => ({
  id: 1,
  type,
  title: 't',
  description: null,
  impact: type === 'incident' ? (1 as const) : (0 as const),
  startAt,
  endAt,
  status,
  system: false,
  componentIds: [3],
  updates: [],
  version: 1,
  creator: null,
  contactEmail: null,
});

describe('current status', () => {
  it('keeps a status that was set on an incident', () => {
    assert.equal(currentStatus(event('incident', 0, null, 'fixing'), now), 'fixing');
    assert.equal(currentStatus(event('incident', 0, now - 1, 'changed'), now), 'changed');
  });

  it('lets a maintenance or notice follow its window unless it was cancelled', () => {
    assert.equal(currentStatus(event('maintenance', 0, now + 1, 'planned'), now), 'in progress');
    assert.equal(currentStatus(event('maintenance', 0, now - 1, 'modified'), now), 'completed');
    assert.equal(currentStatus(event('maintenance', 0, now + 1, 'cancelled'), now), 'cancelled');
    assert.equal(currentStatus(event('info', now + 1, null, 'active'), now), 'planned');
    assert.equal(currentStatus(event('info', 0, null, 'cancelled'), now), 'cancelled');
  });

  const derived: [EventType, number, number | null, string][] = [
    ['incident', 0, null, 'detected'],
    ['incident', 0, now, 'resolved'],
    ['incident', 0, now + 1, 'detected'],
    ['maintenance', now + 1, now + 2, 'planned'],
    ['maintenance', 0, now + 1, 'in progress'],
    ['maintenance', 0, now, 'completed'],
    ['info', now + 1, null, 'planned'],
    ['info', 0, null, 'active'],
    ['info', 0, now - 1, 'completed'],
  ];
  for (const [type, start, end, expected] of derived) {
    it(`derives "${expected}" for a ${type} from ${start} to ${end ?? 'open'} when none was set`, () => {
      assert.equal(currentStatus(event(type, start, end), now), expected);
    });
  }
});

describe('event filter', () => {
  const incident = event('incident', 100, null);
  it('matches when every given filter holds', () => {
    assert.equal(matchesEventFilter(incident, {}, now), true);
    assert.equal(matchesEventFilter(incident, { types: ['incident'], active: true, status: 'detected', impact: 1, system: false, componentIds: [9, 3], startFrom: 100 }, now), true);
  });

  const misses: [string, Parameters<typeof matchesEventFilter>[1]][] = [
    ['another type', { types: ['maintenance', 'info'] }],
    ['another status', { status: 'resolved' }],
    ['a later start', { startFrom: 101 }],
    ['an end bound (open events never match)', { endUntil: now }],
    ['another impact', { impact: 2 }],
    ['system events only', { system: true }],
    ['other components', { componentIds: [4] }],
  ];
  for (const [what, filter] of misses) {
    it(`does not match ${what}`, () => assert.equal(matchesEventFilter(incident, filter, now), false));
  }
  it('matches ended events by their end bound, and only active ones with active', () => {
    const ended = event('incident', 100, 200);
    assert.equal(matchesEventFilter(ended, { endUntil: 200 }, now), true);
    assert.equal(matchesEventFilter(ended, { endUntil: 199 }, now), false);
    assert.equal(matchesEventFilter(ended, { active: true }, now), false);
  });
});
