// Issue 18: the pure rules of notifications: scopes, what changed since an event was announced,
// when deliveries go out and are retried, and what a message says in each format.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Component } from '../../src/domain/component.js';
import type { StatusEvent } from '../../src/domain/event.js';
import { changesSince, nextReminderAt, type Announced } from '../../src/domain/notifications/announcements.js';
import { changeLines, notificationTitle, testNotification, webhookBody, type Notification } from '../../src/domain/notifications/message.js';
import { COALESCE_MS, dueAt, GIVE_UP_AFTER_MS, retryAt, shouldDisable } from '../../src/domain/notifications/schedule.js';
import { coversComponent, describeScope, parseScope, scopeMatches, WHOLE_CLOUD, type NotificationScope } from '../../src/domain/notifications/scope.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const component = (id: number, region: string, category: string, name = `S${id}`): Component => ({
  id,
  name,
  attributes: [
    { name: 'category', value: category },
    { name: 'region', value: region },
    { name: 'type', value: name.toLowerCase() },
  ],
});
const ecsDe = component(1, 'EU-DE', 'Compute', 'ECS');
const ecsNl = component(2, 'EU-NL', 'Compute', 'ECS');
const obsDe = component(3, 'EU-DE', 'Storage', 'OBS');

const event = (fields: Partial<StatusEvent> = {}): StatusEvent => ({
  id: 7,
  type: 'incident',
  title: 'Compute is down',
  description: null,
  impact: 2,
  startAt: NOW - HOUR,
  endAt: null,
  status: 'detected',
  system: true,
  componentIds: [1],
  updates: [],
  version: 1,
  creator: null,
  contactEmail: null,
  ...fields,
});
const entry = (id: number, status: string, text: string, at = NOW) => ({ id, status, text, at, author: null });

describe('notification scopes', () => {
  it('covers the whole cloud, a region, a category in a region or everywhere, or chosen components', () => {
    assert.ok(coversComponent({ kind: 'cloud' }, ecsNl));
    assert.ok(coversComponent({ kind: 'region', region: 'EU-DE' }, obsDe) && !coversComponent({ kind: 'region', region: 'EU-DE' }, ecsNl));
    assert.ok(coversComponent({ kind: 'category', category: 'Compute' }, ecsNl));
    assert.ok(coversComponent({ kind: 'category', category: 'Compute', region: 'EU-DE' }, ecsDe) && !coversComponent({ kind: 'category', category: 'Compute', region: 'EU-DE' }, ecsNl));
    assert.ok(coversComponent({ kind: 'components', componentIds: [3] }, obsDe) && !coversComponent({ kind: 'components', componentIds: [3] }, ecsDe));
  });

  it('takes incidents from a minimum impact, and maintenances and notices by choice', () => {
    const majorOnly: NotificationScope = { place: { kind: 'cloud' }, incidents: 2, maintenances: false, notices: true };
    assert.ok(scopeMatches(majorOnly, { type: 'incident', impact: 2 }, [ecsDe]));
    assert.ok(!scopeMatches(majorOnly, { type: 'incident', impact: 1 }, [ecsDe]));
    assert.ok(!scopeMatches(majorOnly, { type: 'maintenance', impact: 0 }, [ecsDe]));
    assert.ok(scopeMatches(majorOnly, { type: 'info', impact: 0 }, [ecsDe]));
    assert.ok(!scopeMatches({ ...majorOnly, incidents: null }, { type: 'incident', impact: 3 }, [ecsDe]));
    assert.ok(!scopeMatches({ ...WHOLE_CLOUD, place: { kind: 'region', region: 'EU-NL' } }, { type: 'incident', impact: 3 }, [ecsDe, obsDe]));
  });

  it('says in words what a scope receives', () => {
    assert.equal(describeScope(WHOLE_CLOUD), 'All incidents, maintenances and notices of the whole cloud');
    assert.equal(describeScope({ place: { kind: 'category', category: 'Compute' }, incidents: 3, maintenances: false, notices: false }), 'Outages of Compute in every region');
    assert.equal(describeScope({ place: { kind: 'components', componentIds: [1, 9] }, incidents: 2, maintenances: true, notices: false }, (id) => (id === 1 ? 'ECS' : undefined)), 'Major incidents and outages and maintenances of ECS, #9');
    assert.equal(describeScope({ place: { kind: 'region', region: 'EU-DE' }, incidents: null, maintenances: false, notices: false }), 'Nothing in EU-DE');
  });

  it('reads a scope from untrusted input, or refuses it', () => {
    assert.deepEqual(parseScope({ place: { kind: 'components', componentIds: [3, 3, 1] }, incidents: 1, maintenances: true, notices: false }), {
      place: { kind: 'components', componentIds: [3, 1] },
      incidents: 1,
      maintenances: true,
      notices: false,
    });
    for (const bad of [
      null,
      'cloud',
      { place: { kind: 'cloud' }, incidents: 4, maintenances: true, notices: true },
      { place: { kind: 'galaxy' }, incidents: 1, maintenances: true, notices: true },
      { place: { kind: 'region', region: '' }, incidents: 1, maintenances: true, notices: true },
      { place: { kind: 'components', componentIds: [] }, incidents: 1, maintenances: true, notices: true },
      { place: { kind: 'components', componentIds: [1.5] }, incidents: 1, maintenances: true, notices: true },
      { place: { kind: 'cloud' }, incidents: 1, maintenances: 'yes', notices: true },
    ]) {
      assert.equal(parseScope(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('what changed since an event was announced', () => {
  const announce = (previous: Announced | undefined, current: StatusEvent, now = NOW) => changesSince(previous, current, now, [24 * HOUR, HOUR]);

  it('announces a new incident once, then only what changed: impact, services, entries, resolution', () => {
    const first = announce(undefined, event({ updates: [entry(1, 'detected', 'The incident is detected.')] }));
    assert.deepEqual(first.changes, [{ kind: 'opened' }]);
    assert.deepEqual(announce(first.announced, event({ updates: [entry(1, 'detected', 'The incident is detected.')] })).changes, [], 'nothing new, nothing said');
    const later = event({ impact: 3, componentIds: [2, 3], endAt: NOW, updates: [entry(1, 'detected', '…'), entry(2, 'SYSTEM', 'ECS moved to …'), entry(3, 'resolved', 'Fixed the disks.')] });
    assert.deepEqual(announce(first.announced, later).changes, [
      { kind: 'impact', from: 2, to: 3 },
      { kind: 'components-added', componentIds: [2, 3] },
      { kind: 'components-removed', componentIds: [1] },
      { kind: 'resolved' },
      { kind: 'update', status: 'resolved', text: 'Fixed the disks.', at: NOW },
    ]);
    const resolved = announce(first.announced, later).announced;
    assert.deepEqual(announce(resolved, { ...later, endAt: null }).changes, [{ kind: 'reopened' }]);
  });

  it('plans, reminds, starts, moves, completes and cancels a maintenance', () => {
    const start = NOW + 48 * HOUR;
    const planned = event({ type: 'maintenance', impact: 0, status: 'planned', startAt: start, endAt: start + 2 * HOUR });
    const first = announce(undefined, planned);
    assert.deepEqual(first.changes, [{ kind: 'planned' }]);
    assert.deepEqual(first.announced?.reminders, []);
    assert.equal(nextReminderAt(first.announced as Announced, [24 * HOUR, HOUR]), start - 24 * HOUR);
    const dayBefore = announce(first.announced, planned, start - 24 * HOUR + MINUTE);
    assert.deepEqual(dayBefore.changes, [{ kind: 'reminder', startsInMs: 24 * HOUR - MINUTE }]);
    assert.deepEqual(announce(dayBefore.announced, planned, start - 23 * HOUR).changes, [], 'each reminder once');
    const hourBefore = announce(dayBefore.announced, planned, start - 30 * MINUTE);
    assert.deepEqual(hourBefore.changes, [{ kind: 'reminder', startsInMs: 30 * MINUTE }]);
    assert.equal(nextReminderAt(hourBefore.announced as Announced, [24 * HOUR, HOUR]), undefined);
    const moved = { ...planned, startAt: start + HOUR, endAt: start + 3 * HOUR };
    assert.deepEqual(announce(hourBefore.announced, moved, start - 30 * MINUTE).changes, [{ kind: 'rescheduled', startAt: start + HOUR, endAt: start + 3 * HOUR }]);
    assert.deepEqual(announce(first.announced, planned, start + MINUTE).changes, [{ kind: 'started' }], 'no reminder once it has started');
    const running = announce(first.announced, planned, start + MINUTE).announced;
    assert.deepEqual(announce(running, planned, start + 3 * HOUR).changes, [{ kind: 'completed' }]);
    assert.deepEqual(announce(first.announced, { ...planned, status: 'cancelled' }).changes, [{ kind: 'cancelled' }]);
  });

  it('gives a maintenance planned close to its start no reminder of what was just announced', () => {
    const soon = event({ type: 'maintenance', impact: 0, status: 'planned', startAt: NOW + 2 * HOUR, endAt: NOW + 3 * HOUR });
    const first = announce(undefined, soon);
    assert.deepEqual(first.announced?.reminders, [24 * HOUR]);
    assert.deepEqual(announce(first.announced, soon, NOW + 90 * MINUTE).changes, [{ kind: 'reminder', startsInMs: 30 * MINUTE }]);
  });

  it('keeps a proposal to its reviewers: nothing until approved, then planned, without the review’s entries', () => {
    const proposal = event({ type: 'maintenance', impact: 0, status: 'pending_review', startAt: NOW + 48 * HOUR, endAt: NOW + 50 * HOUR, updates: [entry(1, 'pending_review', 'Proposed.')] });
    assert.deepEqual(announce(undefined, proposal), { changes: [], announced: undefined });
    const approved = { ...proposal, status: 'planned', updates: [entry(1, 'pending_review', 'Proposed.'), entry(2, 'reviewed', 'OK.'), entry(3, 'planned', 'Maintenance is approved and planned.')] };
    const step = announce(undefined, approved);
    assert.deepEqual(step.changes, [{ kind: 'planned' }]);
    assert.equal(step.announced?.lastEntryId, 3);
  });
});

describe('when deliveries go out', () => {
  it('sends the first at once and the next one coalescing window after the last', () => {
    assert.equal(dueAt(NOW, undefined), NOW);
    assert.equal(dueAt(NOW, NOW - 10_000), NOW - 10_000 + COALESCE_MS);
    assert.equal(dueAt(NOW, NOW - 2 * COALESCE_MS), NOW);
  });

  it('retries after 30 s, doubling, at most an hour apart, with a tenth of jitter, and gives up after a day', () => {
    assert.equal(retryAt(1, NOW, NOW, 0), NOW + 30_000);
    assert.equal(retryAt(2, NOW, NOW, 0), NOW + 60_000);
    assert.equal(retryAt(1, NOW, NOW, 0.999), NOW + Math.round(30_000 * 1.0999));
    assert.equal(retryAt(30, NOW, NOW + HOUR, 0), NOW + 2 * HOUR);
    assert.equal(retryAt(40, NOW, NOW + GIVE_UP_AFTER_MS, 0), 'give-up');
    assert.ok(GIVE_UP_AFTER_MS >= 24 * HOUR, 'at least a day');
  });

  it('disables a webhook after a day of failures only', () => {
    assert.ok(!shouldDisable(null, NOW));
    assert.ok(!shouldDisable(NOW - 23 * HOUR, NOW));
    assert.ok(shouldDisable(NOW - GIVE_UP_AFTER_MS, NOW));
  });
});

describe('what a notification says', () => {
  const notification = (fields: Partial<Notification> = {}): Notification => ({
    id: 'delivery-1',
    event: event({ title: 'Compute <b>down</b>' }),
    changes: [{ kind: 'opened' }, { kind: 'update', status: 'analyzing', text: 'Looking into *it* <now>', at: NOW }],
    components: new Map([[1, ecsDe]]),
    url: 'https://status.example.org/incidents/7',
    eventJson: { id: 7 },
    now: NOW,
    ...fields,
  });

  it('titles it by kind and status, and tells each change in a sentence', () => {
    assert.equal(notificationTitle(notification()), '[Major incident, detected] Compute <b>down</b>');
    assert.deepEqual(changeLines(notification()), ['Major incident opened, affecting ECS (Compute, EU-DE, ecs).', 'analyzing: Looking into *it* <now>']);
  });

  it('builds our JSON with the delivery, the event, the changes and the event as API v2 shows it', () => {
    const body = webhookBody('json', notification()) as Record<string, unknown>;
    assert.deepEqual([body.id, body.event_id, body.url, body.event], ['delivery-1', 7, 'https://status.example.org/incidents/7', { id: 7 }]);
    assert.deepEqual(body.changes, notification().changes);
  });

  it('escapes user text for the chat formats, and links the title to the event', () => {
    const slack = JSON.stringify(webhookBody('slack', notification()));
    assert.ok(slack.includes('Compute &lt;b&gt;down&lt;/b&gt;') && !slack.includes('<b>'));
    assert.ok(slack.includes('<https://status.example.org/incidents/7|'));
    const discord = webhookBody('discord', notification()) as { content: string; embeds: { url: string; description: string }[]; allowed_mentions: unknown };
    assert.ok(discord.embeds[0]?.description.includes('\\*it\\*'));
    assert.deepEqual(discord.allowed_mentions, { parse: [] }, 'no @everyone from a title');
    const teams = JSON.stringify(webhookBody('teams', notification()));
    assert.ok(teams.includes('application/vnd.microsoft.card.adaptive') && teams.includes('Action.OpenUrl'));
  });

  it('says what a test is', () => {
    const test = testNotification('delivery-9', 'Acme Status', 'https://status.example.org/', NOW);
    assert.deepEqual(changeLines(test), ['test: This is a test: the webhook works.']);
    assert.equal((webhookBody('json', test) as { id: string }).id, 'delivery-9');
  });
});
