// Issue 17: roles from the provider's groups, the maintenance review's statuses, proposals kept
// from the public and from monitoring, and what people with each role may open.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Component } from '../../src/domain/component.js';
import { isContactEmail } from '../../src/domain/contact-email.js';
import type { StatusEvent } from '../../src/domain/event.js';
import { currentStatus, isProposal, publicTimeline, shieldsComponents } from '../../src/domain/event-status.js';
import { decideNewEvent, mayOpen, newEventProblems, PROPOSED_ENTRY } from '../../src/domain/rules/manual-events.js';
import { decideStatusReport, type EventView } from '../../src/domain/rules/status-report.js';
import { atLeast, inGroup, roleFromGroups, roleSettingsFingerprint, sameGroup, storedRole } from '../../src/domain/roles.js';

const NOW = 1_000_000;
const HOUR = 3_600_000;

describe('roles from the groups claim', () => {
  const settings = { admins: '/sd_admins', operators: 'sd_operators', creators: '/sd_creators' };

  it('gives the highest role of the groups held: admins > operators > creators', () => {
    assert.equal(roleFromGroups(['/sd_creators', '/sd_admins', '/sd_operators'], settings), 'admin');
    assert.equal(roleFromGroups(['/sd_creators', '/sd_operators'], settings), 'operator');
    assert.equal(roleFromGroups(['/sd_creators'], settings), 'creator');
  });

  it('matches group names with or without Keycloak’s leading slash, on either side', () => {
    assert.equal(roleFromGroups(['sd_admins'], settings), 'admin');
    assert.equal(roleFromGroups(['/sd_operators'], settings), 'operator');
    assert.ok(sameGroup('/a', 'a') && sameGroup('a', '/a') && !sameGroup('a', 'b'));
    assert.ok(inGroup(['/x', 'y'], 'x') && !inGroup('x', 'x') && !inGroup([1, null], 'x'));
  });

  it('gives readers (anyone else, or no groups claim) no role', () => {
    assert.equal(roleFromGroups(['/sd_readers'], settings), undefined);
    assert.equal(roleFromGroups(undefined, settings), undefined);
    assert.equal(roleFromGroups('/sd_admins', settings), undefined, 'a claim that is not a list');
  });

  it('makes everyone the provider vouches for an admin when no role group is configured, as before roles', () => {
    assert.equal(roleFromGroups(undefined, {}), 'admin');
    assert.equal(roleFromGroups(['/anything'], {}), 'admin');
  });

  it('fingerprints the settings as they mean, not as they are spelled', () => {
    assert.equal(roleSettingsFingerprint({ admins: '/a' }), roleSettingsFingerprint({ admins: 'a' }));
    assert.notEqual(roleSettingsFingerprint({ admins: 'a' }), roleSettingsFingerprint({ admins: 'a', creators: 'c' }));
    assert.notEqual(roleSettingsFingerprint({ admins: 'a' }), roleSettingsFingerprint({ operators: 'a' }));
  });

  it('ranks roles, and reads an unknown stored role as the least', () => {
    assert.ok(atLeast('admin', 'operator') && atLeast('operator', 'operator') && !atLeast('creator', 'operator'));
    assert.equal(storedRole('admin'), 'admin');
    assert.equal(storedRole('superuser'), 'creator');
  });
});

describe('contact email (RFC 5322 addr-spec)', () => {
  const valid = ['ops@example.org', 'first.last+tag@sub.example.co.uk', "o'brien@example.ie", '"john doe"@example.org', 'x@[192.0.2.1]', `${'a'.repeat(64)}@example.org`];
  const invalid = ['', 'plain', '@example.org', 'ops@', 'ops@localhost', 'a..b@example.org', '.a@example.org', 'a.@example.org', 'a b@example.org', 'Ops <ops@example.org>', 'ops@example..org', 'ops@exa mple.org', `${'a'.repeat(250)}@example.org`, 'ops@example.org\n'];
  for (const address of valid) it(`accepts ${JSON.stringify(address)}`, () => assert.ok(isContactEmail(address)));
  for (const address of invalid) it(`refuses ${JSON.stringify(address)}`, () => assert.ok(!isContactEmail(address)));
});

const maintenance = (status: string | null, updates: string[] = [], window: [number, number | null] = [NOW + HOUR, NOW + 2 * HOUR]): StatusEvent => ({
  id: 7,
  type: 'maintenance',
  title: 'Kernel upgrade',
  description: 'Reboots.',
  impact: 0,
  startAt: window[0],
  endAt: window[1],
  status,
  system: false,
  componentIds: [1],
  updates: updates.map((s, id) => ({ id, status: s, text: '', at: 0, author: null })),
  version: 1,
  creator: 'oidc:carol',
  contactEmail: 'carol@example.org',
});

describe('the statuses of the review', () => {
  it('keeps a proposal pending review whatever its window says: nobody approved it', () => {
    assert.equal(currentStatus(maintenance('pending_review'), NOW), 'pending_review');
    assert.equal(currentStatus(maintenance('pending_review', [], [NOW - HOUR, NOW + HOUR]), NOW), 'pending_review');
  });
  it('says reviewed until the lifecycle plans it or the window starts', () => {
    assert.equal(currentStatus(maintenance('reviewed'), NOW), 'reviewed');
    assert.equal(currentStatus(maintenance('reviewed', [], [NOW - HOUR, NOW + HOUR]), NOW), 'in progress');
    assert.equal(currentStatus(maintenance('reviewed', [], [NOW - 2 * HOUR, NOW - HOUR]), NOW), 'completed');
  });

  it('counts as a proposal while pending review, or cancelled before anyone approved it', () => {
    assert.ok(isProposal(maintenance('pending_review', ['pending_review'])));
    assert.ok(isProposal(maintenance('cancelled', ['pending_review', 'pending_review', 'cancelled'])));
    assert.ok(!isProposal(maintenance('cancelled', ['pending_review', 'reviewed', 'planned', 'cancelled'])));
    assert.ok(!isProposal(maintenance('cancelled', ['planned', 'cancelled'])));
    assert.ok(!isProposal(maintenance('planned', ['planned'])));
    assert.ok(!isProposal({ ...maintenance('pending_review'), type: 'incident' }));
  });

  it('lets only approved, uncancelled maintenances shield their components', () => {
    assert.ok(shieldsComponents({ type: 'maintenance', status: 'planned' }));
    assert.ok(shieldsComponents({ type: 'maintenance', status: 'reviewed' }));
    assert.ok(shieldsComponents({ type: 'maintenance', status: null }));
    assert.ok(!shieldsComponents({ type: 'maintenance', status: 'pending_review' }));
    assert.ok(!shieldsComponents({ type: 'maintenance', status: 'cancelled' }));
    assert.ok(!shieldsComponents({ type: 'incident', status: 'detected' }));
  });
});

describe('the public timeline of an approved maintenance', () => {
  it('leaves the review’s entries to the reviewers', () => {
    const approved = maintenance('planned', ['pending_review', 'pending_review', 'reviewed', 'planned', 'in progress']);
    assert.deepEqual(publicTimeline(approved).updates.map((update) => update.status), ['planned', 'in progress']);
    assert.equal(approved.updates.length, 5, 'the event itself is untouched');
  });
  it('is the event itself when there is nothing to leave out', () => {
    const planned = maintenance('planned', ['planned']);
    assert.equal(publicTimeline(planned), planned);
  });
});

describe('monitoring and proposals', () => {
  const component: Component = { id: 1, name: 'Compute', attributes: [] };
  const running = (status: string): EventView => ({ id: 7, type: 'maintenance', title: 'M', impact: 0, system: false, startAt: NOW - HOUR, endAt: NOW + HOUR, componentIds: [1], status });
  it('opens an incident on a component whose running maintenance nobody approved', () => {
    assert.equal(decideStatusReport([running('pending_review')], { component, impact: 2 }, NOW).outcome, 'changed');
  });
  it('is shielded by an approved one', () => {
    assert.deepEqual(decideStatusReport([running('reviewed')], { component, impact: 2 }, NOW), { outcome: 'shielded', eventId: 7 });
  });
});

describe('what each role may open', () => {
  const spec = { type: 'maintenance' as const, title: 'Kernel upgrade', description: 'Reboots.', impact: 0 as const, startAt: NOW + HOUR, endAt: NOW + 2 * HOUR, contactEmail: 'carol@example.org', creator: 'oidc:carol' };
  const component: Component = { id: 1, name: 'Compute', attributes: [] };

  it('lets creators open maintenances only, and everyone else anything', () => {
    assert.ok(mayOpen('maintenance', 'creator') && !mayOpen('incident', 'creator') && !mayOpen('info', 'creator'));
    for (const type of ['incident', 'maintenance', 'info'] as const) assert.ok(mayOpen(type, 'operator') && mayOpen(type, 'admin'));
  });

  it('opens a creator’s maintenance as a proposal, an operator’s as planned, with its creator and contact', () => {
    const [proposed] = decideNewEvent([], spec, [component], NOW, 'creator').changes;
    assert.deepEqual(proposed, { op: 'create', event: { ...spec, system: false, status: 'pending_review', firstEntry: PROPOSED_ENTRY } });
    const [planned] = decideNewEvent([], spec, [component], NOW, 'operator').changes;
    assert.equal(planned?.op === 'create' && planned.event.status, 'planned');
  });

  it('reports every missing part of a proposal at once, in API v2’s order', () => {
    assert.deepEqual(newEventProblems({ ...spec, description: ' ', contactEmail: null, startAt: NOW - HOUR }, NOW, 'creator'), [
      'contact-email-missing',
      'description-missing',
      'window-in-past',
    ]);
    assert.deepEqual(newEventProblems({ ...spec, contactEmail: 'nope' }, NOW, 'operator'), ['contact-email-invalid']);
    assert.deepEqual(newEventProblems({ ...spec, type: 'incident', impact: 1, endAt: null, startAt: NOW, contactEmail: 'a@b.org' }, NOW, 'admin'), ['contact-email-not-maintenance']);
  });
});
