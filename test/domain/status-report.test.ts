// Reference v1 §2.4.1 and §2.5 (cases H-A to H-D) with spec §1 (one "active") and §2 (every
// active maintenance shields): every branch of the pure decision, with a fixed clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Component } from '../../src/domain/component.js';
import type { EventRef } from '../../src/domain/event.js';
import type { IncidentImpact } from '../../src/domain/impact.js';
import {
  DEFAULT_INCIDENT_TITLE,
  decideStatusReport,
  reportChangeOf,
  type Change,
  type EventView,
  type StatusReport,
  type StatusReportDecision,
  V1_POLICY,
  V2_POLICY,
} from '../../src/domain/rules/status-report.js';
import { renderMessage } from '../../src/domain/texts.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// The components of reference v1 §8.1, plus one without attributes.
const CMP1: Component = {
  id: 1,
  name: 'cmp1',
  attributes: [
    { name: 'a1', value: 'v1' },
    { name: 'a2', value: 'v2' },
  ],
};
const CMP2: Component = { id: 2, name: 'cmp2', attributes: [{ name: 'a1', value: 'v1' }] };
const CMP3: Component = { id: 3, name: 'cmp3', attributes: [] };
const CMP1_LABEL = 'cmp1 (v1, v2)';

interface EventOptions {
  title?: string;
  system?: boolean;
  startAt?: number;
  endAt?: number | null;
}

function incident(id: number, impact: IncidentImpact, componentIds: number[], options: EventOptions = {}): EventView {
  return {
    id,
    type: 'incident',
    title: options.title ?? `incident ${id}`,
    impact,
    system: options.system ?? true,
    startAt: options.startAt ?? NOW - HOUR,
    endAt: options.endAt ?? null,
    componentIds,
  };
}

const userIncident = (id: number, impact: IncidentImpact, componentIds: number[], options: EventOptions = {}) =>
  incident(id, impact, componentIds, { ...options, system: false });

function maintenance(id: number, componentIds: number[], options: EventOptions = {}): EventView {
  return {
    id,
    type: 'maintenance',
    title: options.title ?? `maintenance ${id}`,
    impact: 0,
    system: options.system ?? false,
    startAt: options.startAt ?? NOW - HOUR,
    endAt: options.endAt === undefined ? NOW + HOUR : options.endAt,
    componentIds,
  };
}

function info(id: number, componentIds: number[], options: EventOptions = {}): EventView {
  return { ...maintenance(id, componentIds, options), type: 'info', title: options.title ?? `info ${id}` };
}

function decide(events: readonly EventView[], component: Component, impact: IncidentImpact, title?: string): StatusReportDecision {
  const report: StatusReport = title === undefined ? { component, impact } : { component, impact, title };
  return decideStatusReport(events, report, NOW);
}

/** The decision that opens a new system incident holding only the component. */
function opensNew(component: Component, impact: IncidentImpact, title = 'Incident'): StatusReportDecision {
  return {
    outcome: 'changed',
    result: 'new',
    changes: [
      { op: 'open', title, impact },
      { op: 'link', event: 'new', componentId: component.id },
    ],
  };
}

function conflictWith(event: EventView, label = CMP1_LABEL): StatusReportDecision {
  return { outcome: 'conflict', eventId: event.id, title: event.title, component: label };
}

function changesOf(decision: StatusReportDecision): Change[] {
  assert.equal(decision.outcome, 'changed');
  return decision.outcome === 'changed' ? decision.changes : [];
}

/** Renders every note of a decision as storage would, the new incident getting `newId`. */
function renderedNotes(decision: StatusReportDecision, newId: number): { eventId: number; text: string }[] {
  const resolveId = (ref: EventRef) => (ref === 'new' ? newId : ref.id);
  return changesOf(decision).flatMap((change) =>
    change.op === 'note' ? [{ eventId: resolveId(change.event), text: renderMessage(change.message, resolveId) }] : [],
  );
}

describe('decideStatusReport: maintenance shield (reference v1 §2.4.1 step 6, spec §2.6)', () => {
  it('returns the maintenance when an active maintenance covers the component', () => {
    const maint = maintenance(5, [1]);
    assert.deepEqual(decide([maint], CMP1, 1), { outcome: 'shielded', eventId: 5 });
  });

  it('returns the second maintenance when the first active maintenance does not cover the component but a second one does', () => {
    const events = [maintenance(3, [2]), maintenance(5, [1])];
    assert.deepEqual(decide(events, CMP1, 2), { outcome: 'shielded', eventId: 5 });
  });

  it('returns the maintenance with the lowest id when two active maintenances cover the component, whatever the snapshot order', () => {
    const events = [maintenance(9, [1]), maintenance(4, [1, 2])];
    assert.deepEqual(decide(events, CMP1, 1), { outcome: 'shielded', eventId: 4 });
  });

  for (const system of [false, true]) {
    it(`returns the maintenance when an active ${system ? 'system' : 'user'} maintenance covers the component`, () => {
      assert.deepEqual(decide([maintenance(5, [1], { system })], CMP1, 3), { outcome: 'shielded', eventId: 5 });
    });
  }

  it('returns the maintenance when an active maintenance with no end date covers the component', () => {
    assert.deepEqual(decide([maintenance(5, [1], { endAt: null })], CMP1, 1), { outcome: 'shielded', eventId: 5 });
  });

  it('returns the maintenance when it starts exactly now', () => {
    assert.deepEqual(decide([maintenance(5, [1], { startAt: NOW })], CMP1, 1), { outcome: 'shielded', eventId: 5 });
  });

  it('returns the maintenance rather than a conflict when incidents also cover the component', () => {
    const events = [incident(1, 3, [1]), userIncident(2, 3, [1]), maintenance(7, [1])];
    assert.deepEqual(decide(events, CMP1, 1), { outcome: 'shielded', eventId: 7 });
  });

  it('opens a new incident when the active maintenance covers other components only (reference §8.1 test 5)', () => {
    assert.deepEqual(decide([maintenance(5, [1])], CMP2, 1), opensNew(CMP2, 1));
  });

  const notShielding: { name: string; event: EventView }[] = [
    { name: 'a planned maintenance (start in the future)', event: maintenance(5, [1], { startAt: NOW + MINUTE, endAt: NOW + HOUR }) },
    { name: 'a planned maintenance with no end date yet', event: maintenance(5, [1], { startAt: NOW + DAY, endAt: null }) },
    { name: 'an ended maintenance (end in the past)', event: maintenance(5, [1], { startAt: NOW - DAY, endAt: NOW - HOUR }) },
    { name: 'a maintenance that ends exactly now', event: maintenance(5, [1], { startAt: NOW - DAY, endAt: NOW }) },
    { name: 'an active info event covering the component', event: info(5, [1]) },
    { name: 'an active info event with no end date covering the component', event: info(5, [1], { endAt: null }) },
  ];
  for (const { name, event } of notShielding) {
    it(`opens a new incident when only ${name} covers the component: it does not shield`, () => {
      assert.deepEqual(decide([event], CMP1, 2), opensNew(CMP1, 2));
    });
  }

  it('never treats an info event as a user incident: no conflict, a new incident is opened', () => {
    assert.deepEqual(decide([info(5, [1], { system: false })], CMP1, 1), opensNew(CMP1, 1));
  });

  it('never treats an info event as a system incident to join or escalate', () => {
    assert.deepEqual(decide([info(5, [1], { system: true }), info(6, [2], { system: true })], CMP1, 1), opensNew(CMP1, 1));
  });
});

describe('decideStatusReport: user incidents (reference v1 §2.4.1 step 7)', () => {
  const conflicting: { userImpact: IncidentImpact; requested: IncidentImpact }[] = [
    { userImpact: 1, requested: 1 },
    { userImpact: 2, requested: 1 },
    { userImpact: 2, requested: 2 },
    { userImpact: 3, requested: 1 },
    { userImpact: 3, requested: 2 },
    { userImpact: 3, requested: 3 },
  ];
  for (const { userImpact, requested } of conflicting) {
    it(`returns a conflict pointing at the user incident when it covers the component at impact ${userImpact} and ${requested} is requested`, () => {
      const user = userIncident(4, userImpact, [1, 2], { title: 'Operators on it' });
      assert.deepEqual(decide([user], CMP1, requested), conflictWith(user));
    });
  }

  const passing: { userImpact: IncidentImpact; requested: IncidentImpact }[] = [
    { userImpact: 1, requested: 2 },
    { userImpact: 1, requested: 3 },
    { userImpact: 2, requested: 3 },
  ];
  for (const { userImpact, requested } of passing) {
    it(`opens a new system incident beside a user incident of lower impact ${userImpact} when ${requested} is requested, leaving the component in both`, () => {
      const user = userIncident(4, userImpact, [1]);
      const decision = decide([user], CMP1, requested);
      assert.deepEqual(decision, opensNew(CMP1, requested));
      assert.ok(!changesOf(decision).some((change) => change.op === 'unlink'), 'the component is not taken out of the user incident');
    });
  }

  it('returns the conflict with a user incident even when a system incident also covers the component at a lower impact', () => {
    const user = userIncident(3, 2, [1]);
    assert.deepEqual(decide([incident(2, 1, [1]), user], CMP1, 2), conflictWith(user));
  });

  it('returns the conflict with the user incident whose impact is high enough when an earlier one covering the component is lower', () => {
    const low = userIncident(2, 1, [1]);
    const high = userIncident(6, 3, [1]);
    assert.deepEqual(decide([low, high], CMP1, 2), conflictWith(high));
  });

  it('returns the conflict with the lowest-id user incident when several qualify, whatever the snapshot order', () => {
    const first = userIncident(3, 2, [1], { title: 'first' });
    const second = userIncident(8, 3, [1], { title: 'second' });
    assert.deepEqual(decide([second, first], CMP1, 1), conflictWith(first));
  });

  it('returns the conflict with a user incident whose end date is in the future (it is active, spec §1)', () => {
    const user = userIncident(4, 2, [1], { endAt: NOW + HOUR });
    assert.deepEqual(decide([user], CMP1, 2), conflictWith(user));
  });

  const inactiveUser: { name: string; event: EventView }[] = [
    { name: 'ended', event: userIncident(4, 3, [1], { startAt: NOW - DAY, endAt: NOW - HOUR }) },
    { name: 'ending exactly now', event: userIncident(4, 3, [1], { startAt: NOW - DAY, endAt: NOW }) },
    { name: 'starting in the future', event: userIncident(4, 3, [1], { startAt: NOW + MINUTE }) },
  ];
  for (const { name, event } of inactiveUser) {
    it(`opens a new incident when the covering user incident is ${name}: it is ignored`, () => {
      assert.deepEqual(decide([event], CMP1, 1), opensNew(CMP1, 1));
    });
  }

  it('opens a new incident rather than joining a user incident of the same impact that lacks the component', () => {
    assert.deepEqual(decide([userIncident(4, 1, [1])], CMP2, 1), opensNew(CMP2, 1));
  });

  it('joins the system incident of the same impact when a user incident covers the component at a lower impact', () => {
    const decision = decide([userIncident(2, 1, [1]), incident(5, 2, [2], { title: 'inc' })], CMP1, 2);
    assert.deepEqual(decision, {
      outcome: 'changed',
      result: { id: 5 },
      changes: [
        { op: 'link', event: { id: 5 }, componentId: 1 },
        { op: 'note', event: { id: 5 }, message: { kind: 'added', component: CMP1_LABEL, toTitle: 'inc' } },
      ],
    });
  });

  it('raises the impact of the lone system incident (H-B) when only a user incident has the requested impact: user incidents are never destinations', () => {
    const decision = decide([incident(3, 1, [1]), userIncident(4, 2, [2])], CMP1, 2);
    assert.deepEqual(decision, {
      outcome: 'changed',
      result: { id: 3 },
      changes: [
        { op: 'note', event: { id: 3 }, message: { kind: 'impact-changed', from: 1, to: 2 } },
        { op: 'raise-impact', eventId: 3, impact: 2 },
      ],
    });
  });

  it('opens a new incident (H-D) when only a user incident has the requested impact and the system incident holds several components', () => {
    const decision = decide([incident(3, 1, [1, 2]), userIncident(4, 2, [3])], CMP1, 2);
    assert.equal(decision.outcome, 'changed');
    assert.equal(decision.outcome === 'changed' ? decision.result : undefined, 'new');
  });
});

describe('decideStatusReport: no active system incident (reference v1 §2.4.1 step 9)', () => {
  for (const impact of [1, 2, 3] as const) {
    it(`opens a new incident titled 'Incident' at impact ${impact} and links the component when no title is given`, () => {
      assert.deepEqual(decide([], CMP1, impact), opensNew(CMP1, impact, 'Incident'));
    });
  }

  it("exports 'Incident' as the default title", () => {
    assert.equal(DEFAULT_INCIDENT_TITLE, 'Incident');
  });

  it('opens a new incident with the given title', () => {
    assert.deepEqual(decide([], CMP1, 2, 'API INCIDENT 1'), opensNew(CMP1, 2, 'API INCIDENT 1'));
  });

  it("opens a new incident titled 'Incident' when the title is explicitly undefined", () => {
    assert.deepEqual(decideStatusReport([], { component: CMP1, impact: 1, title: undefined }, NOW), opensNew(CMP1, 1));
  });

  it('opens a new incident for a component without attributes', () => {
    assert.deepEqual(decide([], CMP3, 3), opensNew(CMP3, 3));
  });

  const inactiveSystem: { name: string; event: EventView }[] = [
    { name: 'ended', event: incident(4, 1, [2], { startAt: NOW - DAY, endAt: NOW - HOUR }) },
    { name: 'ending exactly now', event: incident(4, 1, [2], { startAt: NOW - DAY, endAt: NOW }) },
    { name: 'starting in the future', event: incident(4, 1, [2], { startAt: NOW + MINUTE }) },
  ];
  for (const { name, event } of inactiveSystem) {
    it(`opens a new incident beside a system incident of the same impact that is ${name}: it is ignored`, () => {
      assert.deepEqual(decide([event], CMP1, 1), opensNew(CMP1, 1));
    });
    it(`opens a new incident when the component's own system incident is ${name}: it is neither a conflict nor escalated`, () => {
      const own = { ...event, componentIds: [1] };
      assert.deepEqual(decide([own], CMP1, 1), opensNew(CMP1, 1));
      assert.deepEqual(decide([own], CMP1, 3), opensNew(CMP1, 3));
    });
  }
});

describe('decideStatusReport: joining (reference v1 §2.4.1 step 10)', () => {
  it("links the component to the system incident of the same impact and notes 'added' when it is in none of them", () => {
    const inc = incident(4, 1, [1], { title: 'inc' });
    assert.deepEqual(decide([inc], CMP2, 1), {
      outcome: 'changed',
      result: { id: 4 },
      changes: [
        { op: 'link', event: { id: 4 }, componentId: 2 },
        { op: 'note', event: { id: 4 }, message: { kind: 'added', component: 'cmp2 (v1)', toTitle: 'inc' } },
      ],
    });
  });

  it('ignores the title of the report when it joins an existing incident', () => {
    const changes = changesOf(decide([incident(4, 2, [1], { title: 'existing' })], CMP2, 2, 'ignored title'));
    assert.ok(!changes.some((change) => change.op === 'open'));
    assert.ok(!JSON.stringify(changes).includes('ignored title'));
  });

  it('joins the lowest-id system incident of the same impact when several exist, whatever the snapshot order', () => {
    const events = [incident(9, 2, [3], { title: 'later' }), incident(1, 1, [3]), incident(6, 2, [3], { title: 'earlier' })];
    const decision = decide(events, CMP1, 2);
    assert.equal(decision.outcome, 'changed');
    assert.deepEqual(decision.outcome === 'changed' ? decision.result : undefined, { id: 6 });
  });

  it('opens a new incident when no system incident has the requested impact, even if others of lower and higher impact exist', () => {
    const events = [incident(4, 1, [2]), incident(5, 3, [3])];
    assert.deepEqual(decide(events, CMP1, 2, 'Slow'), opensNew(CMP1, 2, 'Slow'));
  });

  it('reuses a system incident whose end date is in the future: it is active (spec §1, unlike the reference API)', () => {
    const decision = decide([incident(4, 2, [2], { endAt: NOW + HOUR, title: 'planned end' })], CMP1, 2);
    assert.deepEqual(decision, {
      outcome: 'changed',
      result: { id: 4 },
      changes: [
        { op: 'link', event: { id: 4 }, componentId: 1 },
        { op: 'note', event: { id: 4 }, message: { kind: 'added', component: CMP1_LABEL, toTitle: 'planned end' } },
      ],
    });
  });

  it('reuses a system incident that started exactly now', () => {
    const decision = decide([incident(4, 2, [2], { startAt: NOW })], CMP1, 2);
    assert.deepEqual(decision.outcome === 'changed' ? decision.result : undefined, { id: 4 });
  });
});

describe('decideStatusReport: conflict with a system incident (reference v1 §2.4.1 step 11)', () => {
  const conflicting: { current: IncidentImpact; requested: IncidentImpact }[] = [
    { current: 1, requested: 1 },
    { current: 2, requested: 1 },
    { current: 2, requested: 2 },
    { current: 3, requested: 1 },
    { current: 3, requested: 2 },
    { current: 3, requested: 3 },
  ];
  for (const { current, requested } of conflicting) {
    it(`returns a conflict pointing at the system incident holding the component at impact ${current} when ${requested} is requested (never de-escalates)`, () => {
      const inc = incident(4, current, [1], { title: 'API INCIDENT' });
      assert.deepEqual(decide([inc], CMP1, requested), conflictWith(inc));
    });
  }

  it('returns the conflict rather than moving down when another system incident has the lower requested impact', () => {
    const holding = incident(4, 3, [1, 2]);
    assert.deepEqual(decide([incident(2, 1, [3]), holding], CMP1, 1), conflictWith(holding));
  });

  it('returns a conflict with a system incident whose end date is in the future (it is active, spec §1)', () => {
    const inc = incident(4, 2, [1], { endAt: NOW + DAY });
    assert.deepEqual(decide([inc], CMP1, 1), conflictWith(inc));
  });

  it('returns a conflict naming a component without attributes as "name ()"', () => {
    const inc = incident(4, 2, [3]);
    assert.deepEqual(decide([inc], CMP3, 2), conflictWith(inc, 'cmp3 ()'));
  });
});

describe('decideStatusReport: escalation (reference v1 §2.5)', () => {
  it('H-A: moves a lone component to the incident of the new impact, notes both sides, closes the source and keeps the component linked to it', () => {
    const source = incident(7, 1, [1], { title: 'API INCIDENT 1' });
    const destination = incident(8, 2, [2], { title: 'API INCIDENT 2' });
    assert.deepEqual(decide([source, destination], CMP1, 2), {
      outcome: 'changed',
      result: { id: 8 },
      changes: [
        { op: 'link', event: { id: 8 }, componentId: 1 },
        {
          op: 'note',
          event: { id: 8 },
          message: { kind: 'moved-from', component: CMP1_LABEL, from: { ref: { id: 7 }, title: 'API INCIDENT 1' } },
        },
        {
          op: 'note',
          event: { id: 7 },
          message: { kind: 'moved-to', component: CMP1_LABEL, to: { ref: { id: 8 }, title: 'API INCIDENT 2' } },
        },
        { op: 'close', eventId: 7 },
        { op: 'note', event: { id: 7 }, message: { kind: 'closed-by-system' } },
      ],
    });
  });

  it('H-A: does not unlink the component from the closed source and opens nothing, even with a report title', () => {
    const changes = changesOf(decide([incident(7, 1, [1]), incident(8, 3, [2])], CMP1, 3, 'ignored'));
    assert.ok(!changes.some((change) => change.op === 'unlink'));
    assert.ok(!changes.some((change) => change.op === 'open'));
  });

  it('H-A: renders the exact reference texts of test_post_incident_moving_component', () => {
    const decision = decide([incident(7, 1, [1], { title: 'API INCIDENT 1' }), incident(8, 2, [2], { title: 'API INCIDENT 2' })], CMP1, 2);
    assert.deepEqual(renderedNotes(decision, 99), [
      { eventId: 8, text: "cmp1 (v1, v2) moved from <a href='/incidents/7'>API INCIDENT 1</a>" },
      { eventId: 7, text: "cmp1 (v1, v2) moved to <a href='/incidents/8'>API INCIDENT 2</a>" },
      { eventId: 7, text: 'CLOSED BY SYSTEM' },
    ]);
  });

  const raises: { from: IncidentImpact; to: IncidentImpact; text: string }[] = [
    { from: 1, to: 2, text: 'impact changed from minor to major' },
    { from: 1, to: 3, text: 'impact changed from minor to outage' },
    { from: 2, to: 3, text: 'impact changed from major to outage' },
  ];
  for (const { from, to, text } of raises) {
    it(`H-B: notes '${text}' then raises the impact of a lone component's incident, which stays the result`, () => {
      const decision = decide([incident(4, from, [1]), incident(5, from, [2])], CMP1, to, 'ignored');
      assert.deepEqual(decision, {
        outcome: 'changed',
        result: { id: 4 },
        changes: [
          { op: 'note', event: { id: 4 }, message: { kind: 'impact-changed', from, to } },
          { op: 'raise-impact', eventId: 4, impact: to },
        ],
      });
      assert.deepEqual(renderedNotes(decision, 99), [{ eventId: 4, text }]);
    });
  }

  it('H-B: raises a system incident whose end date is in the future (it is active, spec §1)', () => {
    const decision = decide([incident(4, 1, [1], { endAt: NOW + HOUR })], CMP1, 3);
    assert.deepEqual(changesOf(decision).at(-1), { op: 'raise-impact', eventId: 4, impact: 3 });
  });

  it('H-C: moves one of several components to the incident of the new impact, notes both sides and unlinks it from the source', () => {
    const source = incident(4, 1, [1, 2], { title: 'Slow' });
    const destination = incident(6, 2, [3], { title: 'Down' });
    const decision = decide([source, destination], CMP1, 2, 'ignored');
    assert.deepEqual(decision, {
      outcome: 'changed',
      result: { id: 6 },
      changes: [
        { op: 'link', event: { id: 6 }, componentId: 1 },
        { op: 'note', event: { id: 6 }, message: { kind: 'moved-from', component: CMP1_LABEL, from: { ref: { id: 4 }, title: 'Slow' } } },
        { op: 'note', event: { id: 4 }, message: { kind: 'moved-to', component: CMP1_LABEL, to: { ref: { id: 6 }, title: 'Down' } } },
        { op: 'unlink', eventId: 4, componentId: 1 },
      ],
    });
    assert.deepEqual(renderedNotes(decision, 99), [
      { eventId: 6, text: "cmp1 (v1, v2) moved from <a href='/incidents/4'>Slow</a>" },
      { eventId: 4, text: "cmp1 (v1, v2) moved to <a href='/incidents/6'>Down</a>" },
    ]);
  });

  for (const title of [undefined, 'Outage in EU-DE']) {
    const expectedTitle = title ?? 'Incident';
    it(`H-D: opens a new incident titled '${expectedTitle}' for one of several components, links it, notes both sides and unlinks it from the source`, () => {
      const source = incident(4, 1, [1, 2], { title: 'Slow' });
      const decision = decide([source, incident(5, 2, [3])], CMP1, 3, title);
      assert.deepEqual(decision, {
        outcome: 'changed',
        result: 'new',
        changes: [
          { op: 'open', title: expectedTitle, impact: 3 },
          { op: 'link', event: 'new', componentId: 1 },
          { op: 'note', event: 'new', message: { kind: 'moved-from', component: CMP1_LABEL, from: { ref: { id: 4 }, title: 'Slow' } } },
          { op: 'note', event: { id: 4 }, message: { kind: 'moved-to', component: CMP1_LABEL, to: { ref: 'new', title: expectedTitle } } },
          { op: 'unlink', eventId: 4, componentId: 1 },
        ],
      });
      assert.deepEqual(renderedNotes(decision, 42), [
        { eventId: 42, text: "cmp1 (v1, v2) moved from <a href='/incidents/4'>Slow</a>" },
        { eventId: 4, text: `cmp1 (v1, v2) moved to <a href='/incidents/42'>${expectedTitle}</a>` },
      ]);
    });
  }

  it('escalates from the lowest-id system incident holding the component when several do, whatever the snapshot order', () => {
    // Taking id 9 (alone) would be H-B; taking id 4 (several components, no destination) is H-D.
    const decision = decide([incident(9, 1, [1]), incident(4, 2, [1, 2])], CMP1, 3);
    assert.deepEqual(changesOf(decision).at(-1), { op: 'unlink', eventId: 4, componentId: 1 });
    assert.equal(decision.outcome === 'changed' ? decision.result : undefined, 'new');
  });

  it('moves to the lowest-id system incident of the requested impact when several exist, whatever the snapshot order', () => {
    const decision = decide([incident(9, 3, [3]), incident(2, 1, [1]), incident(5, 3, [3])], CMP1, 3);
    assert.deepEqual(decision.outcome === 'changed' ? decision.result : undefined, { id: 5 });
    assert.deepEqual(changesOf(decision)[0], { op: 'link', event: { id: 5 }, componentId: 1 });
  });

  it('never moves the component into a user incident of the requested impact: it opens a new one (H-D)', () => {
    const decision = decide([incident(4, 1, [1, 2]), userIncident(5, 3, [3])], CMP1, 3);
    assert.equal(decision.outcome === 'changed' ? decision.result : undefined, 'new');
    assert.ok(!JSON.stringify(decision).includes('"id":5'));
  });

  it('ignores an ended system incident of the requested impact as a destination', () => {
    const decision = decide([incident(4, 1, [1]), incident(5, 2, [3], { startAt: NOW - DAY, endAt: NOW - HOUR })], CMP1, 2);
    assert.deepEqual(decision.outcome === 'changed' ? decision.result : undefined, { id: 4 }, 'H-B on the source, not a move');
  });

  it('uses a system incident of the requested impact whose end date is in the future as the destination (spec §1)', () => {
    const decision = decide([incident(4, 1, [1]), incident(5, 2, [3], { endAt: NOW + HOUR })], CMP1, 2);
    assert.deepEqual(decision.outcome === 'changed' ? decision.result : undefined, { id: 5 });
  });
});

describe('decideStatusReport: purity', () => {
  it('leaves the snapshot untouched and gives the same decision twice', () => {
    const events = [incident(9, 1, [1, 2]), maintenance(3, [3]), incident(5, 2, [3]), userIncident(2, 1, [1])];
    const before = structuredClone(events);
    for (const event of events) Object.freeze(event);
    Object.freeze(events);
    const first = decide(events, CMP1, 2);
    const second = decide(events, CMP1, 2);
    assert.deepEqual(events, before);
    assert.deepEqual(first, second);
  });

  it('reads time only from the given now: the same snapshot decides differently at another instant', () => {
    const maint = maintenance(5, [1], { startAt: NOW + HOUR, endAt: NOW + 2 * HOUR });
    const report: StatusReport = { component: CMP1, impact: 1 };
    assert.deepEqual(decideStatusReport([maint], report, NOW), opensNew(CMP1, 1));
    assert.deepEqual(decideStatusReport([maint], report, NOW + HOUR), { outcome: 'shielded', eventId: 5 });
    assert.deepEqual(decideStatusReport([maint], report, NOW + 2 * HOUR), opensNew(CMP1, 1));
  });
});

describe('decideStatusReport: reference v1 §8.1 scenarios rendered', () => {
  it("adds cmp2 to the active system incident 'inc' with the text 'cmp2 (v1) added to inc' (test 6)", () => {
    const decision = decide([incident(1, 1, [1], { title: 'inc' })], CMP2, 1);
    assert.deepEqual(renderedNotes(decision, 99), [{ eventId: 1, text: 'cmp2 (v1) added to inc' }]);
  });

  it("raises the impact of cmp1's lone incident with the text 'impact changed from minor to major' (test 7)", () => {
    const decision = decide([incident(1, 1, [1])], CMP1, 2);
    assert.deepEqual(renderedNotes(decision, 99), [{ eventId: 1, text: 'impact changed from minor to major' }]);
  });

  it('escapes a hostile title and label in generated texts (spec §2.2)', () => {
    const hostile: Component = { id: 1, name: '<img src=x onerror=alert(1)>', attributes: [{ name: 'r', value: '"quoted"' }] };
    const decision = decide([incident(7, 1, [1], { title: "<script>alert('x')</script>" }), incident(8, 2, [2], { title: 'B & C' })], hostile, 2);
    assert.deepEqual(renderedNotes(decision, 99), [
      {
        eventId: 8,
        text: "&lt;img src=x onerror=alert(1)&gt; (&quot;quoted&quot;) moved from <a href='/incidents/7'>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</a>",
      },
      { eventId: 7, text: "&lt;img src=x onerror=alert(1)&gt; (&quot;quoted&quot;) moved to <a href='/incidents/8'>B &amp; C</a>" },
      { eventId: 7, text: 'CLOSED BY SYSTEM' },
    ]);
  });
});

describe('reportChangeOf: the branch a change came from (the reports metric by outcome)', () => {
  const changeOf = (events: readonly EventView[], impact: IncidentImpact, policy = V1_POLICY) => {
    const decision = decideStatusReport(events, { component: CMP1, impact }, NOW, policy);
    return decision.outcome === 'changed' ? reportChangeOf(decision) : decision.outcome;
  };

  it('opened: no incident holds the component and none of its impact is open', () => {
    assert.equal(changeOf([], 2), 'opened');
    assert.equal(changeOf([], 2, V2_POLICY), 'opened');
  });

  it('joined: no incident holds the component, one of its impact is open', () => {
    assert.equal(changeOf([incident(4, 2, [2])], 2), 'joined');
  });

  it('escalated: the component is alone in its incident and no incident of the new impact is open (H-B)', () => {
    assert.equal(changeOf([incident(4, 1, [1])], 2), 'escalated');
  });

  for (const policy of [V1_POLICY, V2_POLICY]) {
    it(`moved (${policy.texts}): alone into the open incident of the new impact, which closes the source (H-A)`, () => {
      assert.equal(changeOf([incident(4, 1, [1]), incident(5, 2, [2])], 2, policy), 'moved');
    });
  }

  it('moved: out of a shared incident into a joined (H-C) or a new one (H-D)', () => {
    assert.equal(changeOf([incident(4, 1, [1, 2]), incident(5, 2, [3])], 2), 'moved');
    assert.equal(changeOf([incident(4, 1, [1, 2])], 3), 'moved');
  });
});
