import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusEvent } from '../../src/domain/event.js';
import { CLOCK_SKEW, decideEventPatch, IMPACT_RULE, type EventPatch } from '../../src/domain/rules/event-transitions.js';

const AT = 10_000;
/** the server's clock */
const NOW = 40_000;
const base: StatusEvent = {
  id: 1,
  type: 'incident',
  title: 'T',
  description: null,
  impact: 1,
  startAt: 1_000,
  endAt: null,
  status: 'detected',
  system: true,
  componentIds: [1],
  updates: [],
};
const closed = { ...base, endAt: 5_000, status: 'resolved' };
const maintenance: StatusEvent = { ...base, type: 'maintenance', impact: 0, startAt: 20_000, endAt: 30_000, status: 'planned' };
const info: StatusEvent = { ...base, type: 'info', impact: 0, endAt: null, status: 'active' };
const patch = (fields: Partial<EventPatch>): EventPatch => ({ status: 'fixing', message: 'm', at: AT, ...fields });

describe('event transitions: refusals', () => {
  const cases: [string, StatusEvent, Partial<EventPatch>, string][] = [
    ['an incident status unknown to incidents', base, { status: 'in progress' }, 'wrong status for incident'],
    ['a maintenance status unknown to maintenances', maintenance, { status: 'fixing' }, 'wrong status for maintenance'],
    ['an info status unknown to info events', info, { status: 'modified' }, 'wrong status for info event'],
    ['impact 0 on an incident', base, { impact: 0, status: 'impact changed' }, IMPACT_RULE],
    ['an impact on a maintenance', maintenance, { impact: 2, status: 'modified' }, IMPACT_RULE],
    ['an impact change without "impact changed"', base, { impact: 2 }, 'wrong status for changing impact'],
    ['an impact change to 0 by type change', base, { impact: 0, type: 'maintenance', status: 'impact changed' }, 'can not change impact to 0'],
    ['a new start for an open incident', base, { startAt: 500 }, 'can not change start date for open incident'],
    ['reopening an open incident', base, { status: 'reopened' }, 'wrong status for incident'],
    ['an open status on a closed incident', closed, { status: 'fixing' }, 'wrong status for closed incident'],
    ['dates on a closed incident without "changed"', closed, { status: 'reopened', endAt: 6_000 }, 'wrong status for closed incident'],
    ['an end before the start', maintenance, { status: 'modified', endAt: 10_000 }, 'end date must not be before the start date'],
    ['an update dated beyond the clock skew', base, { at: NOW + CLOCK_SKEW + 1 }, 'update date must not be in the future'],
    ['a resolve dated beyond the clock skew', base, { status: 'resolved', at: NOW + CLOCK_SKEW + 1 }, 'update date must not be in the future'],
    ['a closed incident’s end moved beyond the clock skew', closed, { status: 'changed', endAt: NOW + CLOCK_SKEW + 1 }, 'end date must not be in the future'],
  ];
  for (const [what, event, fields, reason] of cases) {
    it(`refuses ${what}`, () => assert.deepEqual(decideEventPatch(event, patch(fields), NOW), { outcome: 'refused', reason }));
  }
});

describe('event transitions: changes', () => {
  const set = (event: StatusEvent, fields: Partial<EventPatch>) => {
    const decision = decideEventPatch(event, patch(fields), NOW);
    assert.equal(decision.outcome, 'changed');
    return decision.outcome === 'changed' ? decision : undefined;
  };

  it('hands the event to people, writes the entry and stores one spelling of analysing', () => {
    const decision = set(base, { status: 'analysing', title: 'New' });
    assert.deepEqual(decision?.update, { status: 'analyzing', text: 'm', at: AT });
    assert.equal(decision?.set.system, false);
    assert.equal(decision?.set.title, 'New');
  });

  it('raises an impact with "impact changed", ends at the given time with "resolved"', () => {
    assert.equal(set(base, { status: 'impact changed', impact: 3 })?.set.impact, 3);
    assert.equal(set(base, { status: 'resolved' })?.set.endAt, AT);
  });

  it('takes dates up to the clock skew ahead of the server: clients’ clocks drift', () => {
    assert.equal(set(base, { status: 'resolved', at: NOW + CLOCK_SKEW })?.set.endAt, NOW + CLOCK_SKEW);
    assert.equal(set(closed, { status: 'changed', endAt: NOW + CLOCK_SKEW })?.set.endAt, NOW + CLOCK_SKEW);
    assert.equal(set(maintenance, { status: 'modified', at: NOW, endAt: NOW + 1_000 * CLOCK_SKEW })?.set.endAt, NOW + 1_000 * CLOCK_SKEW, 'a maintenance is planned ahead');
  });

  it('ignores an end date sent for an open incident that is not being resolved', () => {
    assert.equal(set(base, { endAt: 7_000 })?.set.endAt, null);
  });

  it('changes a closed incident’s dates with "changed" and reopens it with "reopened"', () => {
    assert.deepEqual(set(closed, { status: 'changed', startAt: 2_000, endAt: 3_000 })?.set, { ...set(closed, { status: 'changed' })?.set, startAt: 2_000, endAt: 3_000 });
    assert.equal(set(closed, { status: 'reopened' })?.set.endAt, null);
  });

  it('moves a maintenance window and keeps its end on completion', () => {
    assert.deepEqual([set(maintenance, { status: 'modified', startAt: 21_000, endAt: 31_000 })?.set.startAt, set(maintenance, { status: 'modified', startAt: 21_000, endAt: 31_000 })?.set.endAt], [21_000, 31_000]);
    assert.equal(set(maintenance, { status: 'completed' })?.set.endAt, 30_000);
    assert.equal(set(info, { status: 'cancelled' })?.set.status, 'cancelled');
  });
});
