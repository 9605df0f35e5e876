import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusEvent } from '../../src/domain/event.js';
import { CLOCK_SKEW, decideEventPatch, IMPACT_RULE, type EventPatch } from '../../src/domain/rules/event-transitions.js';
import type { Actor } from '../../src/domain/roles.js';

/** Before roles, every caller could do what an admin can: the rules below are the same for them. */
const ADMIN: Actor = { id: 'token:admin', role: 'admin' };

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
  version: 1,
  creator: null,
  contactEmail: null,
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
    it(`refuses ${what}`, () => assert.deepEqual(decideEventPatch(event, patch(fields), NOW, ADMIN), { outcome: 'refused', reason }));
  }
});

describe('event transitions: changes', () => {
  const set = (event: StatusEvent, fields: Partial<EventPatch>) => {
    const decision = decideEventPatch(event, patch(fields), NOW, ADMIN);
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

describe('event transitions: completed ends the window now (issue 17)', () => {
  const running: StatusEvent = { ...maintenance, startAt: 20_000, endAt: 90_000 };
  const set = (event: StatusEvent, fields: Partial<EventPatch>) => {
    const decision = decideEventPatch(event, patch({ at: NOW, ...fields }), NOW, ADMIN);
    return decision.outcome === 'changed' ? decision.set : decision;
  };

  it('ends a running maintenance now, whether the planned end is sent (the front end’s form) or not', () => {
    assert.equal((set(running, { status: 'completed' }) as StatusEvent).endAt, NOW);
    assert.equal((set(running, { status: 'completed', endAt: 90_000 }) as StatusEvent).endAt, NOW);
  });

  it('ends a notice without an end now', () => {
    assert.equal((set(info, { status: 'completed' }) as StatusEvent).endAt, NOW);
  });

  it('keeps an end that has passed, given or stored', () => {
    assert.equal((set(running, { status: 'completed', endAt: 35_000 }) as StatusEvent).endAt, 35_000);
  });

  it('refuses to complete a window that has not started: that is a cancellation', () => {
    assert.deepEqual(set({ ...maintenance, startAt: NOW + 1_000, endAt: NOW + 5_000 }, { status: 'completed' }), {
      outcome: 'refused',
      reason: 'a maintenance that has not started cannot be completed; cancel it instead',
    });
  });
});

describe('event transitions: versions (issue 17)', () => {
  const versioned: StatusEvent = { ...base, version: 4 };
  it('refuses a change made to an older version with 409 naming the current one', () =>
    assert.deepEqual(decideEventPatch(versioned, patch({ version: 3 }), NOW, ADMIN), {
      outcome: 'conflict',
      reason: 'version conflict: the event is at version 4, the change was made to version 3',
      version: 4,
    }));
  it('takes a change made to the current version, and one that names none', () => {
    assert.equal(decideEventPatch(versioned, patch({ version: 4 }), NOW, ADMIN).outcome, 'changed');
    assert.equal(decideEventPatch(versioned, patch({}), NOW, ADMIN).outcome, 'changed');
  });
  it('refuses a version that does not exist yet', () => assert.equal(decideEventPatch(versioned, patch({ version: 5 }), NOW, ADMIN).outcome, 'conflict'));
});

describe('event transitions: roles and the maintenance review (issue 17)', () => {
  const CREATOR: Actor = { id: 'oidc:carol', role: 'creator' };
  const OTHER_CREATOR: Actor = { id: 'oidc:dave', role: 'creator' };
  const OPERATOR: Actor = { id: 'local:olivia', role: 'operator' };
  const proposal: StatusEvent = { ...maintenance, startAt: NOW + 20_000, endAt: NOW + 30_000, status: 'pending_review', creator: CREATOR.id, contactEmail: 'carol@example.org' };
  const approved: StatusEvent = { ...proposal, status: 'reviewed' };
  const planned: StatusEvent = { ...proposal, status: 'planned' };
  const decide = (event: StatusEvent, status: string, actor: Actor, fields: Partial<EventPatch> = {}) => decideEventPatch(event, patch({ status, ...fields }), NOW, actor);
  const outcome = (event: StatusEvent, status: string, actor: Actor, fields: Partial<EventPatch> = {}) => decide(event, status, actor, fields).outcome;

  it('lets a creator edit (pending_review) or cancel their own proposal, in either spelling of pending review', () => {
    assert.equal(outcome(proposal, 'pending_review', CREATOR, { title: 'Better title' }), 'changed');
    assert.equal(outcome(proposal, 'pending review', CREATOR), 'changed');
    assert.equal(outcome(proposal, 'cancelled', CREATOR), 'changed');
  });

  it('forbids a creator others’ proposals, anything after the review, other statuses, other types, and incidents', () => {
    assert.equal(outcome(proposal, 'cancelled', OTHER_CREATOR), 'forbidden');
    assert.equal(outcome(approved, 'cancelled', CREATOR), 'forbidden');
    assert.equal(outcome(planned, 'modified', CREATOR), 'forbidden');
    assert.equal(outcome(proposal, 'reviewed', CREATOR), 'forbidden');
    assert.equal(outcome(proposal, 'planned', CREATOR), 'forbidden');
    assert.equal(outcome(proposal, 'pending_review', CREATOR, { type: 'incident', impact: 2 }), 'forbidden');
    assert.equal(outcome({ ...base, creator: CREATOR.id }, 'fixing', CREATOR), 'forbidden');
  });

  it('lets an operator approve, send back or cancel a proposal', () => {
    const approval = decide(proposal, 'reviewed', OPERATOR, { message: 'Approved by Olivia' });
    assert.equal(approval.outcome, 'changed');
    assert.equal(approval.outcome === 'changed' && approval.set.status, 'reviewed');
    assert.equal(outcome(proposal, 'pending_review', OPERATOR, { message: 'Please add the rollback plan' }), 'changed');
    assert.equal(outcome(proposal, 'cancelled', OPERATOR), 'changed');
  });

  it('answers 409 to an approval of anything not pending review: the first approval wins', () => {
    assert.deepEqual(decide(approved, 'reviewed', OPERATOR), {
      outcome: 'conflict',
      reason: 'only a maintenance pending review can be approved; this one is reviewed',
      version: 1,
    });
    assert.equal(outcome(planned, 'reviewed', OPERATOR), 'conflict');
    assert.equal(outcome(base, 'reviewed', OPERATOR), 'conflict');
  });

  it('answers 409 when an operator moves a proposal on before approving it', () => {
    for (const status of ['planned', 'modified', 'in progress', 'completed']) assert.equal(outcome(proposal, status, OPERATOR), 'conflict', status);
  });

  it('forbids an operator to send an approved maintenance back to review; admins may', () => {
    assert.equal(outcome(planned, 'pending_review', OPERATOR), 'forbidden');
    assert.equal(outcome(planned, 'pending_review', ADMIN), 'changed');
  });

  it('lets an operator run approved maintenances and incidents as before', () => {
    assert.equal(outcome(planned, 'modified', OPERATOR, { startAt: NOW + 21_000, endAt: NOW + 31_000 }), 'changed');
    assert.equal(outcome(base, 'fixing', OPERATOR), 'changed');
  });

  it('lets an admin move any event to any status of its type, cancelled included', () => {
    for (const status of ['planned', 'in progress', 'modified', 'cancelled', 'reviewed', 'pending_review']) assert.equal(outcome(proposal, status, ADMIN), 'changed', status);
  });

  it('checks the role before the version: a stale version of someone else’s proposal is still 403', () =>
    assert.equal(outcome({ ...proposal, version: 3 }, 'cancelled', OTHER_CREATOR, { version: 1 }), 'forbidden'));

  it('keeps a maintenance’s contact unless a new one is given, and refuses one on an incident', () => {
    const kept = decide(proposal, 'pending_review', CREATOR);
    assert.equal(kept.outcome === 'changed' && kept.set.contactEmail, 'carol@example.org');
    const changed = decide(proposal, 'pending_review', CREATOR, { contactEmail: 'ops@example.org' });
    assert.equal(changed.outcome === 'changed' && changed.set.contactEmail, 'ops@example.org');
    assert.deepEqual(decide(base, 'fixing', ADMIN, { contactEmail: 'x@example.org' }), { outcome: 'refused', reason: 'contact_email: only a maintenance has a contact' });
  });
});
