// What a decision's changes make of the events it touched, worked out without storage: every
// change kind, the event a change opens, and the refusals of changes that name unseen events.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventViewsAfter, newEventOf } from '../../src/domain/rules/applied-changes.js';
import type { Change, EventView } from '../../src/domain/rules/status-report.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');

function incident(id: number, componentIds: number[], impact: 1 | 2 | 3 = 1): EventView {
  return { id, type: 'incident', title: `Incident ${id}`, impact, system: true, startAt: NOW - 60_000, endAt: null, status: 'detected', componentIds };
}

const note = (id: number): Change => ({ op: 'note', event: { id }, message: { kind: 'closed-by-system' } });

describe('newEventOf', () => {
  it("opens monitoring's incident as system-owned and detected, now, with no first entry", () => {
    assert.deepEqual(newEventOf({ op: 'open', title: 'Outage', impact: 2 }, NOW), {
      type: 'incident',
      title: 'Outage',
      description: null,
      impact: 2,
      startAt: NOW,
      endAt: null,
      system: true,
      status: 'detected',
    });
  });

  it('takes the start and description a v2 report gives, and writes its detected entry', () => {
    const spec = newEventOf({ op: 'open', title: 'Outage', impact: 1, startAt: NOW - 5000, description: 'Seen by probes', detected: true }, NOW);
    assert.equal(spec.startAt, NOW - 5000);
    assert.equal(spec.description, 'Seen by probes');
    assert.deepEqual(spec.firstEntry, { status: 'detected', text: 'The incident is detected.' });
  });

  it('creates what people specified, as they specified it', () => {
    const event = { type: 'maintenance' as const, title: 'Upgrade', description: 'db', impact: 0 as const, startAt: NOW + 1000, endAt: NOW + 9000, system: false, status: 'planned' };
    assert.equal(newEventOf({ op: 'create', event }, NOW), event);
  });
});

describe('eventViewsAfter', () => {
  it('adds an opened incident with the components linked to it, in link order', () => {
    const after = eventViewsAfter([], [{ op: 'open', title: 'Outage', impact: 2 }, { op: 'link', event: 'new', componentId: 7 }, { op: 'link', event: 'new', componentId: 3 }], NOW, 12);
    assert.deepEqual(after, [{ id: 12, type: 'incident', title: 'Outage', impact: 2, system: true, startAt: NOW, endAt: null, status: 'detected', componentIds: [7, 3] }]);
  });

  it('moves a component, raises an impact and closes an emptied incident, leaving the snapshot as it was', () => {
    const snapshot = [incident(1, [5]), incident(2, [6, 8], 2), incident(3, [9])];
    const after = eventViewsAfter(
      snapshot,
      [
        { op: 'unlink', eventId: 1, componentId: 5 },
        { op: 'link', event: { id: 2 }, componentId: 5 },
        { op: 'raise-impact', eventId: 2, impact: 3 },
        { op: 'close', eventId: 1 },
      ],
      NOW,
    );
    assert.deepEqual(after, [
      { ...incident(1, []), endAt: NOW, status: 'resolved' },
      { ...incident(2, [6, 8, 5]), impact: 3 },
    ]);
    assert.deepEqual(snapshot, [incident(1, [5]), incident(2, [6, 8], 2), incident(3, [9])], 'the views the rules saw are not changed');
  });

  it('counts an event that only got a timeline entry as touched, unchanged', () => {
    assert.deepEqual(eventViewsAfter([incident(4, [1]), incident(2, [3])], [note(4)], NOW), [incident(4, [1])]);
  });

  it('orders the touched events by id, the new one among them', () => {
    const after = eventViewsAfter([incident(9, [1])], [note(9), { op: 'open', title: 'New', impact: 1 }, { op: 'link', event: 'new', componentId: 2 }], NOW, 4);
    assert.deepEqual(after.map((view) => view.id), [4, 9]);
  });

  it('refuses changes that name an event the decision did not see, or a new one never opened', () => {
    assert.throws(() => eventViewsAfter([incident(1, [])], [note(2)], NOW), /event 2/);
    assert.throws(() => eventViewsAfter([], [{ op: 'link', event: 'new', componentId: 1 }], NOW), /none was opened/);
  });
});
