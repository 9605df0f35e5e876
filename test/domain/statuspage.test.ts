import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Component } from '../../src/domain/component.js';
import { SYSTEM_STATUS, type EventUpdate, type StatusEvent } from '../../src/domain/event.js';
import { STATES, statusOverview } from '../../src/domain/status-overview.js';
import {
  regionGroupId,
  statuspageComponentStatus,
  statuspageDocument,
  statuspageEventStatus,
  statuspageImpact,
  statuspagePhase,
  statuspageStatus,
  STATUSPAGE_RECENT,
  timelinePhases,
} from '../../src/domain/statuspage.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { statusEvent, TEST_NOW } from '../helpers/events.js';

const now = TEST_NOW;
const iso = (ms: number) => new Date(ms).toISOString();

const component = (id: number, name: string, attributes: Record<string, string>): Component => ({
  id,
  name,
  attributes: Object.entries(attributes).map(([key, value]) => ({ name: key, value })),
});

let nextId = 1;
const update = (status: string, at: number, text = status): EventUpdate => ({ id: nextId++, status, text, at, author: null });
const event = statusEvent;

describe('Statuspage vocabularies', () => {
  it('maps each state of ours to a component status and a rollup', () => {
    assert.deepEqual(
      STATES.map((state) => [state, statuspageComponentStatus(state), statuspageStatus(state)]),
      [
        ['operational', 'operational', { indicator: 'none', description: 'All Systems Operational' }],
        ['maintenance', 'under_maintenance', { indicator: 'none', description: 'Service Under Maintenance' }],
        ['minor', 'degraded_performance', { indicator: 'minor', description: 'Minor Service Outage' }],
        ['major', 'partial_outage', { indicator: 'major', description: 'Partial System Outage' }],
        ['outage', 'major_outage', { indicator: 'critical', description: 'Major Service Outage' }],
      ],
    );
  });

  it('maps impacts: incidents 1 to 3 to minor, major, critical; maintenances to maintenance; notices to none', () => {
    assert.deepEqual(
      [
        statuspageImpact({ type: 'incident', impact: 1 }),
        statuspageImpact({ type: 'incident', impact: 2 }),
        statuspageImpact({ type: 'incident', impact: 3 }),
        statuspageImpact({ type: 'maintenance', impact: 0 }),
        statuspageImpact({ type: 'info', impact: 0 }),
      ],
      ['minor', 'major', 'critical', 'maintenance', 'none'],
    );
  });

  it('maps every status of ours that names a phase, and none for the ones that keep the phase in effect', () => {
    const incident = ['detected', 'analyzing', 'analysing', 'fixing', 'observing', 'resolved', 'reopened', 'impact changed', 'changed', SYSTEM_STATUS].map((status) => statuspagePhase('incident', status));
    assert.deepEqual(incident, ['investigating', 'investigating', 'investigating', 'identified', 'monitoring', 'resolved', 'investigating', undefined, undefined, undefined]);
    const maintenance = ['planned', 'reviewed', 'in progress', 'modified', 'completed', 'cancelled'].map((status) => statuspagePhase('maintenance', status));
    assert.deepEqual(maintenance, ['scheduled', 'scheduled', 'in_progress', undefined, 'completed', 'completed']);
    const info = ['planned', 'active', 'completed', 'cancelled'].map((status) => statuspagePhase('info', status));
    assert.deepEqual(info, ['identified', 'identified', 'resolved', 'resolved']);
    assert.equal(statuspagePhase('incident', null), undefined);
  });

  it('gives each timeline entry the phase in effect once it was written, newest first', () => {
    const entries = [update('detected', now - 50 * MINUTE), update('impact changed', now - 40 * MINUTE), update('fixing', now - 30 * MINUTE), update(SYSTEM_STATUS, now - 20 * MINUTE), update('observing', now - 10 * MINUTE)];
    const phases = timelinePhases({ type: 'incident', updates: [...entries].reverse() });
    assert.deepEqual(phases.map((entry) => [entry.update.status, entry.status]), [
      ['observing', 'monitoring'],
      [SYSTEM_STATUS, 'identified'],
      ['fixing', 'identified'],
      ['impact changed', 'investigating'],
      ['detected', 'investigating'],
    ]);
    assert.deepEqual(timelinePhases({ type: 'maintenance', updates: [update('modified', now)] }).map((entry) => entry.status), ['scheduled'], 'a first entry that names no phase starts in the first one');
    assert.deepEqual(timelinePhases({ type: 'info', updates: [update(SYSTEM_STATUS, now)] }).map((entry) => entry.status), ['identified']);
  });

  it('says an event\'s status now: ended incidents resolved, running ones by status or timeline, maintenances and notices by their window', () => {
    const status = (fields: Partial<StatusEvent>, at = now) => statuspageEventStatus(event(fields), at);
    assert.equal(status({ status: 'observing', endAt: now - MINUTE }), 'resolved', 'an incident that ended is resolved whatever its status');
    assert.equal(status({ status: 'fixing' }), 'identified');
    assert.equal(status({ status: 'impact changed', updates: [update('impact changed', now), update('observing', now - MINUTE)] }), 'monitoring');
    assert.equal(status({ status: null }), 'investigating', 'no status and no timeline: the first phase');
    const window = { type: 'maintenance' as const, startAt: now + HOUR, endAt: now + 2 * HOUR, status: 'planned' };
    assert.equal(status(window), 'scheduled');
    assert.equal(status({ ...window, status: 'reviewed' }), 'scheduled');
    assert.equal(status(window, now + HOUR), 'in_progress');
    assert.equal(status(window, now + 2 * HOUR), 'completed');
    assert.equal(status({ ...window, status: 'cancelled' }), 'completed', 'Statuspage has no word for cancelled');
    const notice = { type: 'info' as const, startAt: now - HOUR, endAt: now + HOUR, impact: 0 as const };
    assert.equal(status(notice), 'identified');
    assert.equal(status(notice, now + HOUR), 'resolved');
    assert.equal(status({ ...notice, status: 'cancelled' }), 'resolved');
  });

  it('names a region\'s group so that no component id and no other region can have the same id', () => {
    assert.equal(regionGroupId('EU-DE'), 'region-EU-DE');
    assert.notEqual(regionGroupId('EU DE'), regionGroupId('EU-DE'));
    assert.equal(regionGroupId('a/b'), 'region-a%2Fb');
  });
});

describe('statuspageDocument', () => {
  const catalog = [
    component(1, 'Compute', { region: 'EU-NL', category: 'Compute' }),
    component(2, 'Storage', { region: 'EU-DE', category: 'Storage' }),
    component(3, 'Compute', { region: 'EU-DE', category: 'Compute' }),
    component(4, 'Unplaced', { region: 'EU-DE' }),
  ];
  const created = new Map([
    [1, now - 10 * HOUR],
    [2, now - 9 * HOUR],
    [3, now - 8 * HOUR],
    [4, Number.NEGATIVE_INFINITY],
  ]);
  const page = { id: 'PAGE', name: 'Cloud', url: 'https://status.example' };
  const documentOf = (events: StatusEvent[], at = now) =>
    statuspageDocument({ overview: statusOverview(catalog, events, at), events, componentCreatedAt: (id) => created.get(id), now: at, page });

  it('groups components by region, in the front page\'s order, with the unplaced ones after, ungrouped', () => {
    const outage = event({ impact: 3, componentIds: [3], startAt: now - 2 * HOUR, updates: [update('detected', now - 2 * HOUR)] });
    const { components, status, page: answered } = documentOf([outage]);
    assert.deepEqual(
      components.map((entry) => [entry.id, entry.status, entry.position, entry.group_id, entry.group, 'components' in entry ? entry.components : undefined]),
      [
        ['region-EU-DE', 'major_outage', 1, null, true, ['3', '2']],
        ['3', 'major_outage', 1, 'region-EU-DE', false, undefined],
        ['2', 'operational', 2, 'region-EU-DE', false, undefined],
        ['region-EU-NL', 'operational', 2, null, true, ['1']],
        ['1', 'operational', 1, 'region-EU-NL', false, undefined],
        ['4', 'operational', 3, null, false, undefined],
      ],
    );
    assert.deepEqual(status, { indicator: 'critical', description: 'Major Service Outage' });
    const [group, compute, storage] = components;
    assert.deepEqual([group?.created_at, group?.updated_at], [iso(now - 9 * HOUR), iso(now - 2 * HOUR)], 'a group: its first member\'s creation, its latest member\'s change');
    assert.deepEqual([compute?.created_at, compute?.updated_at], [iso(now - 8 * HOUR), iso(now - 2 * HOUR)]);
    assert.deepEqual([storage?.created_at, storage?.updated_at], [iso(now - 9 * HOUR), iso(now - 9 * HOUR)]);
    assert.equal(components.at(-1)?.created_at, iso(0), 'an unknown creation time is the epoch');
    assert.equal(answered.updated_at, iso(now - 2 * HOUR));
    assert.ok(components.every((entry) => entry.page_id === 'PAGE'));
  });

  it('counts notices as incidents of impact none once they start, and cancelled maintenances as completed', () => {
    const running = event({ type: 'info', impact: 0, title: 'Notice', startAt: now - HOUR, endAt: now + HOUR, updates: [update('active', now - HOUR)] });
    const later = event({ type: 'info', impact: 0, title: 'Later notice', startAt: now + HOUR, endAt: now + 2 * HOUR });
    const cancelled = event({ type: 'maintenance', impact: 0, status: 'cancelled', startAt: now + HOUR, endAt: now + 2 * HOUR, updates: [update('planned', now - HOUR), update('cancelled', now - MINUTE)] });
    const document = documentOf([running, later, cancelled]);
    assert.deepEqual(document.unresolvedIncidents.map((entry) => [entry.name, entry.impact, entry.status]), [['Notice', 'none', 'identified']]);
    assert.deepEqual(document.recentIncidents.map((entry) => entry.name), ['Notice']);
    assert.deepEqual([document.upcomingMaintenances, document.activeMaintenances], [[], []]);
    const [maintenance] = document.recentMaintenances;
    assert.deepEqual([maintenance?.status, maintenance?.impact, maintenance?.scheduled_for, maintenance?.scheduled_until], ['completed', 'maintenance', iso(now + HOUR), iso(now + 2 * HOUR)]);
    assert.deepEqual(maintenance?.incident_updates.map((entry) => entry.status), ['completed', 'scheduled']);
    assert.deepEqual(document.status, { indicator: 'none', description: 'All Systems Operational' });
  });

  it('dates an event from its first entry or its start, whichever is earlier, and marks the server\'s own notes as not announced', () => {
    const backDated = event({
      componentIds: [1],
      startAt: now - 3 * HOUR,
      endAt: now - HOUR,
      status: 'resolved',
      updates: [update('detected', now - 2 * HOUR), update(SYSTEM_STATUS, now - 90 * MINUTE), update('observing', now - 80 * MINUTE), update('resolved', now - HOUR)],
    });
    const [entry] = documentOf([backDated]).recentIncidents;
    assert.deepEqual(
      [entry?.created_at, entry?.updated_at, entry?.started_at, entry?.resolved_at, entry?.monitoring_at, entry?.status],
      [iso(now - 3 * HOUR), iso(now - HOUR), iso(now - 3 * HOUR), iso(now - HOUR), iso(now - 80 * MINUTE), 'resolved'],
    );
    assert.deepEqual(entry?.incident_updates.map((each) => [each.status, each.deliver_notifications]), [
      ['resolved', true],
      ['monitoring', true],
      ['investigating', false],
      ['investigating', true],
    ]);
    assert.equal(entry?.shortlink, `https://status.example/incidents/${backDated.id}`);
    assert.deepEqual(entry?.components.map((each) => each.id), ['1']);
    const upcoming = event({ type: 'maintenance', impact: 0, status: 'planned', startAt: now + HOUR, endAt: null });
    const [maintenance] = documentOf([upcoming]).upcomingMaintenances;
    assert.deepEqual([maintenance?.created_at, maintenance?.updated_at, maintenance?.scheduled_until], [iso(now + HOUR), iso(now + HOUR), null], 'nothing that happened yet: its start');
  });

  it('lists the 50 most recent incidents and maintenances, newest first; upcoming maintenances soonest first', () => {
    const incidents = Array.from({ length: STATUSPAGE_RECENT + 5 }, (_, index) => event({ startAt: now - (index + 2) * HOUR, endAt: now - (index + 1) * HOUR, status: 'resolved' }));
    const soon = event({ type: 'maintenance', impact: 0, status: 'planned', title: 'soon', startAt: now + HOUR, endAt: now + 2 * HOUR });
    const later = event({ type: 'maintenance', impact: 0, status: 'planned', title: 'later', startAt: now + 5 * HOUR, endAt: now + 6 * HOUR });
    const document = documentOf([...incidents, later, soon]);
    assert.equal(document.recentIncidents.length, STATUSPAGE_RECENT);
    assert.equal(document.recentIncidents[0]?.id, String(incidents[0]?.id));
    assert.deepEqual(document.upcomingMaintenances.map((entry) => entry.name), ['soon', 'later']);
    assert.deepEqual(document.recentMaintenances.map((entry) => entry.name), ['later', 'soon']);
  });
});
