import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventUpdate, StatusEvent } from '../../src/domain/event.js';
import type { Actor, Role } from '../../src/domain/roles.js';
import {
  decideOperatorUpdate,
  DESCRIPTION_LENGTH,
  lengthProblem,
  newEventFormProblems,
  statusesOffered,
  TITLE_LENGTH,
  UPDATE_TEXT_LENGTH,
  type FieldProblem,
  type NewEventForm,
  type OperatorUpdate,
  type OperatorUpdateDecision,
} from '../../src/domain/rules/operator-forms.js';

const NOW = 1_000_000;
/** Operators run events as everyone did before roles. */
const OPERATOR: Actor = { id: 'local:olivia', role: 'operator' };

let nextId = 1;
const entry = (status: string, at: number): EventUpdate => ({ id: nextId++, status, text: `${status} entry`, at, author: null });

/** An open incident that started at 100 000, with its first entry. */
const incident: StatusEvent = {
  id: 1,
  type: 'incident',
  title: 'Database is slow',
  description: null,
  impact: 2,
  startAt: 100_000,
  endAt: null,
  status: 'detected',
  system: true,
  componentIds: [1],
  updates: [entry('detected', 100_000)],
  version: 1,
  creator: null,
  contactEmail: null,
};
const closedIncident: StatusEvent = { ...incident, endAt: 500_000, status: 'resolved', updates: [entry('resolved', 500_000), entry('fixing', 300_000), entry('detected', 100_000)] };
/** A maintenance planned from 2 000 000 to 3 000 000. */
const planned: StatusEvent = { ...incident, type: 'maintenance', title: 'Database upgrade', impact: 0, startAt: 2_000_000, endAt: 3_000_000, status: 'planned', updates: [entry('planned', 900_000)] };
const running: StatusEvent = { ...planned, startAt: 800_000, endAt: 1_500_000 };
const ended: StatusEvent = { ...planned, startAt: 200_000, endAt: 600_000 };
const cancelled: StatusEvent = { ...planned, status: 'cancelled', updates: [entry('cancelled', 950_000), ...planned.updates] };
const notice: StatusEvent = { ...planned, type: 'info', title: 'New console released', endAt: null };
const activeNotice: StatusEvent = { ...notice, startAt: 500_000 };

const TITLE = 'Database is slow';
const TEXT = 'We are looking into it.';
const form = (fields: Partial<OperatorUpdate>): OperatorUpdate => ({ status: 'fixing', title: TITLE, text: TEXT, impact: 2, ...fields });
const windowForm = (fields: Partial<OperatorUpdate>): OperatorUpdate => form({ impact: 0, ...fields });

const refused = (...problems: [string, string][]): OperatorUpdateDecision => ({ outcome: 'refused', problems: problems.map(([field, message]) => ({ field, message })) });

/** The decision, which must be a change. */
function changed(event: StatusEvent, update: OperatorUpdate) {
  const decision = decideOperatorUpdate(event, update, NOW, OPERATOR);
  assert.equal(decision.outcome, 'changed', JSON.stringify(decision));
  if (decision.outcome !== 'changed') throw new Error('refused');
  return decision;
}

describe('operator forms: statuses offered', () => {
  const cases: [string, StatusEvent, string[]][] = [
    ['an open incident', incident, ['analyzing', 'fixing', 'impact changed', 'observing', 'resolved']],
    ['a closed incident', closedIncident, ['reopened', 'changed']],
    ['an incident ending in the future', { ...incident, endAt: NOW + 1 }, ['reopened', 'changed']],
    ['a planned maintenance', planned, ['in progress', 'modified', 'cancelled']],
    ['a running maintenance', running, ['modified', 'completed', 'cancelled']],
    ['a maintenance starting now', { ...planned, startAt: NOW }, ['modified', 'completed', 'cancelled']],
    ['a maintenance ending now', { ...running, endAt: NOW }, ['modified']],
    ['an ended maintenance', ended, ['modified']],
    ['a cancelled maintenance', cancelled, []],
    ['a planned notice', notice, ['active', 'planned', 'cancelled']],
    ['an active notice without end', activeNotice, ['planned', 'completed', 'cancelled']],
    ['an active notice with an end', { ...activeNotice, endAt: 2_000_000 }, ['planned', 'completed', 'cancelled']],
    ['an ended notice', { ...activeNotice, endAt: 600_000 }, ['planned']],
    ['a cancelled notice', { ...notice, status: 'cancelled' }, []],
  ];
  for (const [what, event, offered] of cases) {
    it(`offers ${JSON.stringify(offered)} for ${what}`, () => assert.deepEqual(statusesOffered(event, NOW, OPERATOR), offered));
  }
});

describe('operator forms: lengthProblem', () => {
  const limits = { min: 3, max: 5 };
  it('accepts the shortest and the longest value, counted without surrounding blanks', () => {
    assert.deepEqual(lengthProblem('f', 'abc', limits), []);
    assert.deepEqual(lengthProblem('f', 'abcde', limits), []);
    assert.deepEqual(lengthProblem('f', '   abcde   ', limits), []);
  });
  it('refuses a value too short or too long, naming the field and the limits', () => {
    const problem = [{ field: 'f', message: 'Field must be between 3 and 5 characters long.' }];
    assert.deepEqual(lengthProblem('f', 'ab', limits), problem);
    assert.deepEqual(lengthProblem('f', '  ab    ', limits), problem);
    assert.deepEqual(lengthProblem('f', '', limits), problem);
    assert.deepEqual(lengthProblem('f', 'abcdef', limits), problem);
  });
  it('has the form limits of reference v1 (title 8–200), and 10–5000 for an update text', () => {
    assert.deepEqual(TITLE_LENGTH, { min: 8, max: 200 });
    assert.deepEqual(UPDATE_TEXT_LENGTH, { min: 10, max: 5000 });
    assert.deepEqual(DESCRIPTION_LENGTH, { min: 8, max: 1500 });
  });
});

describe('operator forms: the common fields of an update', () => {
  const at = NOW - 1_000;
  it('accepts a title and a text at their limits', () => {
    for (const title of ['x'.repeat(8), 'x'.repeat(200)]) changed(incident, form({ title, date: at }));
    for (const text of ['x'.repeat(10), 'x'.repeat(5000)]) changed(incident, form({ text, date: at }));
  });

  it('refuses a title or a text out of its limits', () => {
    const title: [string, string] = ['title', 'Field must be between 8 and 200 characters long.'];
    const text: [string, string] = ['text', 'Field must be between 10 and 5000 characters long.'];
    assert.deepEqual(decideOperatorUpdate(incident, form({ title: 'x'.repeat(7), date: at }), NOW, OPERATOR), refused(title));
    assert.deepEqual(decideOperatorUpdate(incident, form({ title: 'x'.repeat(201), date: at }), NOW, OPERATOR), refused(title));
    assert.deepEqual(decideOperatorUpdate(incident, form({ title: `  ${'x'.repeat(7)}  `, date: at }), NOW, OPERATOR), refused(title));
    assert.deepEqual(decideOperatorUpdate(incident, form({ text: 'x'.repeat(9), date: at }), NOW, OPERATOR), refused(text));
    assert.deepEqual(decideOperatorUpdate(incident, form({ text: 'x'.repeat(5001), date: at }), NOW, OPERATOR), refused(text));
    assert.deepEqual(decideOperatorUpdate(incident, form({ text: '          ', date: at }), NOW, OPERATOR), refused(text));
  });

  it('refuses a status not offered, the placeholder and the other spelling of analysing included', () => {
    for (const status of ['', 'Choose status..', 'reopened', 'changed', 'in progress', 'detected', 'analysing', 'RESOLVED']) {
      assert.deepEqual(decideOperatorUpdate(incident, form({ status, date: at }), NOW, OPERATOR), refused(['status', 'Not a valid choice.']), status);
    }
    assert.deepEqual(decideOperatorUpdate(closedIncident, form({ status: 'fixing', date: at }), NOW, OPERATOR), refused(['status', 'Not a valid choice.']));
    assert.deepEqual(decideOperatorUpdate(cancelled, windowForm({ status: 'modified', startAt: 2_000_000, endAt: 3_000_000 }), NOW, OPERATOR), refused(['status', 'Not a valid choice.']));
    assert.deepEqual(decideOperatorUpdate(ended, windowForm({ status: 'completed' }), NOW, OPERATOR), refused(['status', 'Not a valid choice.']));
    assert.deepEqual(decideOperatorUpdate(notice, windowForm({ status: 'in progress', date: at }), NOW, OPERATOR), refused(['status', 'Not a valid choice.']));
    assert.deepEqual(decideOperatorUpdate(planned, windowForm({ status: 'active', date: at }), NOW, OPERATOR), refused(['status', 'Not a valid choice.']));
  });

  it('refuses completing a maintenance that has not started as a status not offered', () => {
    // The rule's own text ("Current time is earlier than maintenance start time.\nYou cannot
    // complete an event that has not yet started.") cannot be reached: "completed" is only
    // offered once the window has started.
    assert.deepEqual(decideOperatorUpdate(planned, windowForm({ status: 'completed' }), NOW, OPERATOR), refused(['status', 'Not a valid choice.']));
    assert.deepEqual(decideOperatorUpdate(notice, windowForm({ status: 'completed' }), NOW, OPERATOR), refused(['status', 'Not a valid choice.']));
  });

  it('refuses an impact of the wrong kind for the event', () => {
    assert.deepEqual(decideOperatorUpdate(incident, form({ impact: 0, date: at }), NOW, OPERATOR), refused(['impact', 'Not a valid choice.']));
    assert.deepEqual(decideOperatorUpdate(closedIncident, form({ status: 'reopened', impact: 0 }), NOW, OPERATOR), refused(['impact', 'Not a valid choice.']));
    for (const impact of [1, 2, 3] as const) {
      assert.deepEqual(decideOperatorUpdate(planned, form({ status: 'cancelled', impact }), NOW, OPERATOR), refused(['impact', 'Not a valid choice.']));
      assert.deepEqual(decideOperatorUpdate(notice, form({ status: 'cancelled', impact }), NOW, OPERATOR), refused(['impact', 'Not a valid choice.']));
    }
  });

  it('reports every problem of the common fields at once, before any date rule', () => {
    assert.deepEqual(
      decideOperatorUpdate(incident, form({ title: 'short', text: 'short', status: 'nope', impact: 0 }), NOW, OPERATOR),
      refused(
        ['title', 'Field must be between 8 and 200 characters long.'],
        ['text', 'Field must be between 10 and 5000 characters long.'],
        ['status', 'Not a valid choice.'],
        ['impact', 'Not a valid choice.'],
      ),
    );
  });

  it('hands the event to people, with the trimmed title and text, the chosen status and its timestamp', () => {
    assert.deepEqual(decideOperatorUpdate(incident, form({ status: 'fixing', title: '  A new title  ', text: '  Fixing the disks.  ', date: 400_000, impact: 3 }), NOW, OPERATOR), {
      outcome: 'changed',
      set: { title: 'A new title', description: null, impact: 2, type: 'incident', status: 'fixing', startAt: 100_000, endAt: null, contactEmail: null, system: false },
      update: { status: 'fixing', text: 'Fixing the disks.', at: 400_000 },
    });
    const decision = changed(planned, windowForm({ status: 'cancelled', title: ' Upgrade called off ', text: ' Not needed after all. ' }));
    assert.deepEqual(decision.set, {
      title: 'Upgrade called off',
      description: null,
      impact: 0,
      type: 'maintenance',
      status: 'cancelled',
      startAt: 2_000_000,
      endAt: 3_000_000,
      contactEmail: null,
      system: false,
    });
    assert.deepEqual(decision.update, { status: 'cancelled', text: 'Not needed after all.', at: NOW });
  });
});

describe('operator forms: incident progress (analyzing, fixing, observing, impact changed)', () => {
  for (const status of ['analyzing', 'fixing', 'observing', 'impact changed']) {
    it(`"${status}" needs a date`, () => {
      assert.deepEqual(decideOperatorUpdate(incident, form({ status }), NOW, OPERATOR), refused(['date', 'Update date cannot be empty']));
    });
    it(`"${status}" refuses a date in the future`, () => {
      assert.deepEqual(decideOperatorUpdate(incident, form({ status, date: NOW + 1 }), NOW, OPERATOR), refused(['date', 'The date cannot be in the future']));
    });
    it(`"${status}" refuses a date before the start`, () => {
      assert.deepEqual(decideOperatorUpdate(incident, form({ status, date: 99_999 }), NOW, OPERATOR), refused(['date', 'The date cannot be before the start date']));
    });
    it(`"${status}" needs a date after every earlier progress entry`, () => {
      const progressed = { ...incident, updates: [entry('analyzing', 400_000), ...incident.updates] };
      const message = refused(['date', 'The date cannot be before any other status-update timestamp or equal']);
      assert.deepEqual(decideOperatorUpdate(progressed, form({ status, date: 400_000 }), NOW, OPERATOR), message);
      assert.deepEqual(decideOperatorUpdate(progressed, form({ status, date: 300_000 }), NOW, OPERATOR), message);
      // the first entry ("detected") is one as well: a date at the very start is refused
      assert.deepEqual(decideOperatorUpdate(incident, form({ status, date: 100_000 }), NOW, OPERATOR), message);
      assert.equal(decideOperatorUpdate(progressed, form({ status, date: 400_001 }), NOW, OPERATOR).outcome, 'changed');
    });
    it(`"${status}" accepts a date now, and stamps its entry with the date`, () => {
      assert.equal(changed(incident, form({ status, date: NOW })).update.at, NOW);
      assert.equal(changed(incident, form({ status, date: 100_001 })).update.at, 100_001);
    });
  }

  it('does not count resolved, description, changed, modified or planned entries as progress', () => {
    const later = ['resolved', 'description', 'changed', 'modified', 'planned'].map((status) => entry(status, 900_000));
    const event = { ...incident, updates: [...later, ...incident.updates] };
    assert.equal(changed(event, form({ status: 'fixing', date: 500_000 })).update.at, 500_000);
    // ...but system entries and any other status do
    for (const status of ['SYSTEM', 'observing', 'reopened']) {
      const withEntry = { ...incident, updates: [entry(status, 900_000), ...incident.updates] };
      assert.deepEqual(
        decideOperatorUpdate(withEntry, form({ status: 'fixing', date: 500_000 }), NOW, OPERATOR),
        refused(['date', 'The date cannot be before any other status-update timestamp or equal']),
        status,
      );
    }
  });

  it('keeps the impact whatever is selected, except with "impact changed"', () => {
    for (const status of ['analyzing', 'fixing', 'observing']) {
      const decision = changed(incident, form({ status, impact: 3, date: 500_000 }));
      assert.equal(decision.set.impact, 2, status);
      assert.equal(decision.set.endAt, null, status);
      assert.equal(decision.set.status, status);
    }
    const decision = changed(incident, form({ status: 'impact changed', impact: 3, date: 500_000 }));
    assert.equal(decision.set.impact, 3);
    assert.deepEqual(decision.update, { status: 'impact changed', text: TEXT, at: 500_000 });
    assert.equal(changed(incident, form({ status: 'impact changed', impact: 1, date: 500_000 })).set.impact, 1);
    assert.equal(changed(incident, form({ status: 'impact changed', impact: 2, date: 500_000 })).set.impact, 2);
  });
});

describe('operator forms: resolving, reopening and changing an incident', () => {
  it('resolves now when no date is given', () => {
    const decision = changed(incident, form({ status: 'resolved', impact: 3 }));
    assert.equal(decision.set.endAt, NOW);
    assert.equal(decision.set.impact, 2);
    assert.deepEqual(decision.update, { status: 'resolved', text: TEXT, at: NOW });
  });

  it('resolves at a back-dated date, which is both the end and the entry’s timestamp', () => {
    const decision = changed(incident, form({ status: 'resolved', date: 700_000 }));
    assert.equal(decision.set.endAt, 700_000);
    assert.equal(decision.update.at, 700_000);
  });

  it('applies the date rules to a given resolution date', () => {
    const progressed = { ...incident, updates: [entry('observing', 600_000), ...incident.updates] };
    assert.deepEqual(decideOperatorUpdate(incident, form({ status: 'resolved', date: NOW + 1 }), NOW, OPERATOR), refused(['date', 'The date cannot be in the future']));
    assert.deepEqual(decideOperatorUpdate(incident, form({ status: 'resolved', date: 50_000 }), NOW, OPERATOR), refused(['date', 'The date cannot be before the start date']));
    assert.deepEqual(
      decideOperatorUpdate(progressed, form({ status: 'resolved', date: 600_000 }), NOW, OPERATOR),
      refused(['date', 'The date cannot be before any other status-update timestamp or equal']),
    );
  });

  it('reopens now with the selected impact, whatever date is given', () => {
    for (const date of [undefined, NOW + 10_000, 1]) {
      const decision = changed(closedIncident, form({ status: 'reopened', impact: 3, date }));
      assert.equal(decision.set.endAt, null);
      assert.equal(decision.set.impact, 3);
      assert.equal(decision.set.startAt, 100_000);
      assert.deepEqual(decision.update, { status: 'reopened', text: TEXT, at: NOW });
    }
  });

  it('"changed" needs a new end date', () => {
    assert.deepEqual(decideOperatorUpdate(closedIncident, form({ status: 'changed' }), NOW, OPERATOR), refused(['date', 'New end date field cannot be empty']));
  });

  it('"changed" applies the date rules to the new end, not counting the resolution entry', () => {
    assert.deepEqual(decideOperatorUpdate(closedIncident, form({ status: 'changed', date: NOW + 1 }), NOW, OPERATOR), refused(['date', 'The date cannot be in the future']));
    assert.deepEqual(decideOperatorUpdate(closedIncident, form({ status: 'changed', date: 99_999 }), NOW, OPERATOR), refused(['date', 'The date cannot be before the start date']));
    assert.deepEqual(
      decideOperatorUpdate(closedIncident, form({ status: 'changed', date: 300_000 }), NOW, OPERATOR),
      refused(['date', 'The date cannot be before any other status-update timestamp or equal']),
    );
    // earlier than the resolution entry (500 000), but after the last progress entry
    assert.equal(changed(closedIncident, form({ status: 'changed', date: 400_000 })).set.endAt, 400_000);
  });

  it('"changed" sets the end and the selected impact, stamped now', () => {
    const decision = changed(closedIncident, form({ status: 'changed', impact: 1, date: 800_000 }));
    assert.equal(decision.set.endAt, 800_000);
    assert.equal(decision.set.impact, 1);
    assert.equal(decision.set.startAt, 100_000);
    assert.deepEqual(decision.update, { status: 'changed', text: TEXT, at: NOW });
  });
});

describe('operator forms: starting a maintenance or a notice early', () => {
  it('needs a date', () => {
    assert.deepEqual(decideOperatorUpdate(planned, windowForm({ status: 'in progress' }), NOW, OPERATOR), refused(['date', 'Update date cannot be empty']));
    assert.deepEqual(decideOperatorUpdate(notice, windowForm({ status: 'active' }), NOW, OPERATOR), refused(['date', 'Update date cannot be empty']));
  });

  it('refuses a date in the future', () => {
    assert.deepEqual(decideOperatorUpdate(planned, windowForm({ status: 'in progress', date: NOW + 1 }), NOW, OPERATOR), refused(['date', 'Update date cannot be in the future']));
    assert.deepEqual(decideOperatorUpdate(notice, windowForm({ status: 'active', date: NOW + 1 }), NOW, OPERATOR), refused(['date', 'Update date cannot be in the future']));
  });

  it('refuses an event that already has a status update, naming a maintenance or a notice', () => {
    // it was started, then moved later: it has an "in progress" entry but has not started
    const moved = { ...planned, updates: [entry('modified', 950_000), entry('in progress', 900_000), ...planned.updates] };
    assert.deepEqual(
      decideOperatorUpdate(moved, windowForm({ status: 'in progress', date: 990_000 }), NOW, OPERATOR),
      refused(['status', 'This maintenance already has a status update, no statuses should be present.']),
    );
    const movedNotice = { ...notice, updates: [entry('planned', 950_000), entry('active', 900_000), ...notice.updates] };
    assert.deepEqual(
      decideOperatorUpdate(movedNotice, windowForm({ status: 'active', date: 990_000 }), NOW, OPERATOR),
      refused(['status', 'This notice already has a status update, no statuses should be present.']),
    );
  });

  it('does not count the planned, modified or description entries as status updates', () => {
    const touched = { ...planned, updates: [entry('modified', 950_000), entry('description', 900_000), ...planned.updates] };
    assert.equal(changed(touched, windowForm({ status: 'in progress', date: 990_000 })).set.startAt, 990_000);
  });

  it('refuses a date later than the planned end (a window that ends before it starts)', () => {
    const inverted = { ...planned, endAt: 500_000 };
    assert.deepEqual(decideOperatorUpdate(inverted, windowForm({ status: 'in progress', date: 500_001 }), NOW, OPERATOR), refused(['date', 'Update date cannot be later than the end date']));
    assert.equal(changed(inverted, windowForm({ status: 'in progress', date: 500_000 })).set.startAt, 500_000);
  });

  it('moves the start to the given date and stamps the entry now', () => {
    const decision = changed(planned, windowForm({ status: 'in progress', date: 990_000 }));
    assert.deepEqual([decision.set.status, decision.set.startAt, decision.set.endAt], ['in progress', 990_000, 3_000_000]);
    assert.deepEqual(decision.update, { status: 'in progress', text: TEXT, at: NOW });
    const active = changed(notice, windowForm({ status: 'active', date: NOW }));
    assert.deepEqual([active.set.status, active.set.startAt, active.set.endAt], ['active', NOW, null]);
    assert.equal(active.update.at, NOW);
  });
});

describe('operator forms: moving a window (modified, planned)', () => {
  const problems = (event: StatusEvent, fields: Partial<OperatorUpdate>) => {
    const decision = decideOperatorUpdate(event, windowForm({ status: event.type === 'maintenance' ? 'modified' : 'planned', ...fields }), NOW, OPERATOR);
    return decision.outcome === 'refused' ? decision.problems : [];
  };

  it('needs a start, and for a maintenance an end', () => {
    assert.deepEqual(problems(planned, {}), [
      { field: 'start', message: 'Start date cannot be empty' },
      { field: 'end', message: 'End date cannot be empty' },
    ]);
    assert.deepEqual(problems(planned, { endAt: 3_000_000 }), [{ field: 'start', message: 'Start date cannot be empty' }]);
    assert.deepEqual(problems(planned, { startAt: 2_000_000 }), [{ field: 'end', message: 'End date cannot be empty' }]);
    assert.deepEqual(problems(notice, {}), [{ field: 'start', message: 'Start date cannot be empty' }]);
  });

  it('refuses a start after the end, on both fields', () => {
    const both: FieldProblem[] = [
      { field: 'start', message: 'Start date cannot be later end date' },
      { field: 'end', message: 'End date cannot be earlier than the start date' },
    ];
    assert.deepEqual(problems(planned, { startAt: 3_000_001, endAt: 3_000_000 }), both);
    assert.deepEqual(problems(notice, { startAt: 3_000_001, endAt: 3_000_000 }), both);
    assert.deepEqual(problems(planned, { startAt: 3_000_000, endAt: 3_000_000 }), []);
  });

  it('refuses a start after an update, and an end before one', () => {
    const started = { ...running, updates: [entry('in progress', 850_000), ...running.updates] };
    assert.deepEqual(problems(started, { startAt: 850_001, endAt: 1_500_000 }), [{ field: 'start', message: 'Start date cannot be later any update timestamp' }]);
    assert.deepEqual(problems(started, { startAt: 800_000, endAt: 849_999 }), [{ field: 'end', message: 'End date cannot be earlier than any update timestamp' }]);
    assert.deepEqual(problems(started, { startAt: 850_000, endAt: 850_000 }), []);
    // every problem at once
    assert.deepEqual(problems(started, { startAt: 860_000, endAt: 840_000 }), [
      { field: 'start', message: 'Start date cannot be later end date' },
      { field: 'end', message: 'End date cannot be earlier than the start date' },
      { field: 'start', message: 'Start date cannot be later any update timestamp' },
      { field: 'end', message: 'End date cannot be earlier than any update timestamp' },
    ]);
  });

  it('does not compare the window with planned, modified, description, resolved or changed entries', () => {
    const touched = { ...planned, updates: ['modified', 'description', 'resolved', 'changed'].map((status) => entry(status, 990_000)).concat(planned.updates) };
    assert.deepEqual(problems(touched, { startAt: 2_500_000, endAt: 2_600_000 }), []);
    assert.deepEqual(problems(touched, { startAt: 10_000, endAt: 20_000 }), []);
  });

  it('replaces the window, stamped now', () => {
    const decision = changed(planned, windowForm({ status: 'modified', startAt: 2_100_000, endAt: 3_100_000 }));
    assert.deepEqual([decision.set.status, decision.set.startAt, decision.set.endAt], ['modified', 2_100_000, 3_100_000]);
    assert.deepEqual(decision.update, { status: 'modified', text: TEXT, at: NOW });
    const reopened = changed(ended, windowForm({ status: 'modified', startAt: 200_000, endAt: 1_200_000 }));
    assert.deepEqual([reopened.set.startAt, reopened.set.endAt], [200_000, 1_200_000]);
  });

  it('moves a notice’s start and keeps its end when none is given', () => {
    const decision = changed(notice, windowForm({ status: 'planned', startAt: 1_500_000 }));
    assert.deepEqual([decision.set.status, decision.set.startAt, decision.set.endAt], ['planned', 1_500_000, null]);
    const bounded = { ...notice, endAt: 4_000_000 };
    assert.deepEqual([changed(bounded, windowForm({ status: 'planned', startAt: 1_500_000 })).set.endAt], [4_000_000]);
    assert.equal(changed(notice, windowForm({ status: 'planned', startAt: 1_500_000, endAt: 1_600_000 })).set.endAt, 1_600_000);
  });

  it('reports the shared transition rules’ refusal on the status: a notice moved past the end it keeps', () => {
    const endedNotice = { ...activeNotice, endAt: 600_000 };
    assert.deepEqual(decideOperatorUpdate(endedNotice, windowForm({ status: 'planned', startAt: 700_000 }), NOW, OPERATOR), refused(['status', 'end date must not be before the start date']));
  });
});

describe('operator forms: completing and cancelling a window', () => {
  it('completes a started maintenance or notice now, ignoring a given date', () => {
    for (const date of [undefined, 800_000, 900_000, NOW + 5_000]) {
      const decision = changed(running, windowForm({ status: 'completed', date }));
      assert.deepEqual([decision.set.status, decision.set.startAt, decision.set.endAt], ['completed', 800_000, NOW]);
      assert.deepEqual(decision.update, { status: 'completed', text: TEXT, at: NOW });
    }
    assert.equal(changed(activeNotice, windowForm({ status: 'completed' })).set.endAt, NOW);
  });

  it('completes a maintenance that starts right now', () => {
    assert.equal(changed({ ...planned, startAt: NOW }, windowForm({ status: 'completed' })).set.endAt, NOW);
  });

  it('refuses a given date before the start', () => {
    assert.deepEqual(decideOperatorUpdate(running, windowForm({ status: 'completed', date: 799_999 }), NOW, OPERATOR), refused(['date', 'The date cannot be earlier than the start date']));
    assert.deepEqual(decideOperatorUpdate(activeNotice, windowForm({ status: 'completed', date: 1 }), NOW, OPERATOR), refused(['date', 'The date cannot be earlier than the start date']));
  });

  it('cancels a planned or running window, keeping its dates, stamped now', () => {
    for (const event of [planned, running, notice, activeNotice]) {
      const decision = changed(event, windowForm({ status: 'cancelled', date: 1 }));
      assert.deepEqual([decision.set.status, decision.set.startAt, decision.set.endAt], ['cancelled', event.startAt, event.endAt]);
      assert.deepEqual(decision.update, { status: 'cancelled', text: TEXT, at: NOW });
    }
  });
});

describe('operator forms: opening an event', () => {
  const exists = (id: number) => id === 1 || id === 2;
  const incidentForm: NewEventForm = { type: 'incident', title: TITLE, impact: 2, description: '', contactEmail: '', componentIds: [1], startAt: NOW - 1_000 };
  const maintenanceForm: NewEventForm = {
    type: 'maintenance',
    title: 'Database upgrade',
    impact: 0,
    description: 'The database gets a new version.',
    contactEmail: '',
    componentIds: [1, 2],
    startAt: NOW + 1_000,
    endAt: NOW + 2_000,
  };
  const infoForm: NewEventForm = { type: 'info', title: 'New console released', impact: 0, description: '', contactEmail: '', componentIds: [2], startAt: NOW + 1_000 };
  // An admin keeps the rules from before roles; what operators and creators must add is tested below.
  const check = (form: NewEventForm, fields: Partial<NewEventForm> = {}) => newEventFormProblems({ ...form, ...fields }, exists, NOW, 'admin');

  it('accepts a valid incident, maintenance and notice', () => {
    assert.deepEqual(check(incidentForm), []);
    assert.deepEqual(check(incidentForm, { startAt: NOW }), []);
    assert.deepEqual(check(maintenanceForm), []);
    assert.deepEqual(check(maintenanceForm, { startAt: NOW - 100_000, endAt: NOW - 50_000 }), []);
    assert.deepEqual(check(infoForm), []);
    assert.deepEqual(check(infoForm, { endAt: NOW + 2_000 }), []);
  });

  it('checks the title’s length', () => {
    const problem = [{ field: 'title', message: 'Field must be between 8 and 200 characters long.' }];
    assert.deepEqual(check(incidentForm, { title: 'x'.repeat(7) }), problem);
    assert.deepEqual(check(incidentForm, { title: 'x'.repeat(201) }), problem);
    assert.deepEqual(check(incidentForm, { title: '        ' }), problem);
    assert.deepEqual(check(incidentForm, { title: 'x'.repeat(8) }), []);
    assert.deepEqual(check(incidentForm, { title: 'x'.repeat(200) }), []);
  });

  it('checks a description’s length, and allows none', () => {
    const problem = [{ field: 'description', message: 'Field must be between 8 and 1500 characters long.' }];
    assert.deepEqual(check(maintenanceForm, { description: 'x'.repeat(7) }), problem);
    assert.deepEqual(check(maintenanceForm, { description: 'x'.repeat(1501) }), problem);
    assert.deepEqual(check(maintenanceForm, { description: 'x'.repeat(8) }), []);
    assert.deepEqual(check(maintenanceForm, { description: 'x'.repeat(1500) }), []);
    assert.deepEqual(check(maintenanceForm, { description: '' }), []);
    assert.deepEqual(check(maintenanceForm, { description: '   ' }), []);
    assert.deepEqual(check(incidentForm, { description: 'short' }), problem);
  });

  it('needs at least one component, and only known ones', () => {
    assert.deepEqual(check(incidentForm, { componentIds: [] }), [{ field: 'components', message: 'Choose at least one service.' }]);
    assert.deepEqual(check(incidentForm, { componentIds: [1, 99] }), [{ field: 'components', message: 'Not a valid choice.' }]);
    assert.deepEqual(check(incidentForm, { componentIds: [99] }), [{ field: 'components', message: 'Not a valid choice.' }]);
  });

  it('needs a start, and then checks no other date', () => {
    const problem = [{ field: 'start', message: 'This field is required.' }];
    assert.deepEqual(check(incidentForm, { startAt: undefined }), problem);
    assert.deepEqual(check(maintenanceForm, { startAt: undefined, endAt: undefined }), problem);
    assert.deepEqual(check(infoForm, { startAt: undefined }), problem);
  });

  it('refuses an incident that starts in the future', () => {
    assert.deepEqual(check(incidentForm, { startAt: NOW + 1 }), [{ field: 'start', message: 'Start date of incident cannot be in the future' }]);
  });

  it('ignores an incident’s end', () => {
    assert.deepEqual(check(incidentForm, { endAt: NOW - 500 }), []);
    assert.deepEqual(check(incidentForm, { endAt: NOW - 5_000 }), []);
    assert.deepEqual(check(incidentForm, { endAt: NOW + 5_000 }), []);
  });

  it('needs a maintenance’s end, but not a notice’s', () => {
    assert.deepEqual(check(maintenanceForm, { endAt: undefined }), [{ field: 'end', message: 'This field is required.' }]);
    assert.deepEqual(check(infoForm, { endAt: undefined }), []);
  });

  it('refuses a window that ends before or when it starts', () => {
    const problem = [{ field: 'start', message: 'Start date cannot be later than or equal to the end date' }];
    assert.deepEqual(check(maintenanceForm, { endAt: NOW + 1_000 }), problem);
    assert.deepEqual(check(maintenanceForm, { endAt: NOW + 500 }), problem);
    assert.deepEqual(check(infoForm, { endAt: NOW + 1_000 }), problem);
    assert.deepEqual(check(maintenanceForm, { endAt: NOW + 1_001 }), []);
  });

  it('refuses an impact of the wrong kind for the type', () => {
    const problem = [{ field: 'impact', message: 'Not a valid choice.' }];
    assert.deepEqual(check(incidentForm, { impact: 0 }), problem);
    assert.deepEqual(check(maintenanceForm, { impact: 1 }), problem);
    assert.deepEqual(check(infoForm, { impact: 3 }), problem);
  });

  it('reports every problem at once, in the order of the form', () => {
    assert.deepEqual(check(maintenanceForm, { title: 'short', description: 'short', componentIds: [], impact: 2, endAt: undefined }), [
      { field: 'title', message: 'Field must be between 8 and 200 characters long.' },
      { field: 'description', message: 'Field must be between 8 and 1500 characters long.' },
      { field: 'components', message: 'Choose at least one service.' },
      { field: 'impact', message: 'Not a valid choice.' },
      { field: 'end', message: 'This field is required.' },
    ]);
    assert.deepEqual(check(incidentForm, { impact: 0, startAt: NOW + 1, componentIds: [7] }), [
      { field: 'components', message: 'Not a valid choice.' },
      { field: 'impact', message: 'Not a valid choice.' },
      { field: 'start', message: 'Start date of incident cannot be in the future' },
    ]);
  });
});

describe('operator forms: what operators and creators add to a maintenance (issue 17)', () => {
  const exists = (id: number) => id === 1;
  const proposal: NewEventForm = {
    type: 'maintenance',
    title: 'Database upgrade',
    impact: 0,
    description: 'The database gets a new version.',
    contactEmail: 'dba@example.org',
    componentIds: [1],
    startAt: NOW + 1_000,
    endAt: NOW + 2_000,
  };
  const check = (role: Role, fields: Partial<NewEventForm> = {}) => newEventFormProblems({ ...proposal, ...fields }, exists, NOW, role);

  it('accepts a maintenance with a contact, a description and a window ahead, from every role', () => {
    for (const role of ['creator', 'operator', 'admin'] as const) assert.deepEqual(check(role), [], role);
  });

  it('needs a contact, a description and a start ahead (five minutes of clock skew allowed) from creators and operators, not admins', () => {
    for (const role of ['creator', 'operator'] as const) {
      assert.deepEqual(check(role, { contactEmail: ' ' }), [{ field: 'contact_email', message: 'A maintenance needs a contact email.' }], role);
      assert.deepEqual(check(role, { description: '' }), [{ field: 'description', message: 'A maintenance needs a description.' }], role);
      assert.deepEqual(check(role, { startAt: NOW - 5 * 60_000 - 1 }), [{ field: 'start', message: 'A maintenance must start in the future.' }], role);
      assert.deepEqual(check(role, { startAt: NOW - 5 * 60_000 }), [], role);
    }
    assert.deepEqual(check('admin', { contactEmail: '', description: '', startAt: NOW - 100_000 }), []);
  });

  it('checks a contact’s syntax whoever gives it, and keeps it to maintenances', () => {
    for (const role of ['creator', 'operator', 'admin'] as const) {
      assert.deepEqual(check(role, { contactEmail: 'not an address' }), [{ field: 'contact_email', message: 'Not a valid email address.' }], role);
    }
    assert.deepEqual(check('admin', { type: 'info', contactEmail: 'x@example.org', endAt: undefined }), [{ field: 'contact_email', message: 'Only a maintenance has a contact email.' }]);
  });
});

describe('operator forms: the review (issue 17)', () => {
  const CREATOR: Actor = { id: 'local:carol', role: 'creator' };
  const proposal: StatusEvent = { ...planned, status: 'pending_review', creator: CREATOR.id, updates: [entry('pending_review', 900_000)] };

  it('offers an operator approve, send back and cancel for a proposal, and the creator edit and cancel', () => {
    assert.deepEqual(statusesOffered(proposal, NOW, OPERATOR), ['reviewed', 'pending_review', 'cancelled']);
    assert.deepEqual(statusesOffered(proposal, NOW, CREATOR), ['pending_review', 'cancelled']);
    assert.deepEqual(statusesOffered(proposal, NOW, { id: 'local:dave', role: 'creator' }), []);
    assert.deepEqual(statusesOffered(planned, NOW, CREATOR), []);
  });

  it('approves a proposal, keeping its window', () => {
    const decision = changed(proposal, windowForm({ status: 'reviewed', text: 'Approved, thank you.' }));
    assert.deepEqual([decision.set.status, decision.set.startAt, decision.set.endAt], ['reviewed', proposal.startAt, proposal.endAt]);
  });

  it('answers a creator’s update of someone else’s proposal as forbidden, and a second approval as a conflict', () => {
    assert.equal(decideOperatorUpdate(proposal, windowForm({ status: 'cancelled' }), NOW, { id: 'local:dave', role: 'creator' }).outcome, 'forbidden');
    assert.equal(decideOperatorUpdate({ ...proposal, status: 'reviewed' }, windowForm({ status: 'reviewed' }), NOW, OPERATOR).outcome, 'conflict');
  });

  it('sends a proposal back keeping its window, and lets its proposer move the window by the rules of a move', () => {
    const sentBack = changed(proposal, windowForm({ status: 'pending_review', text: 'Please name the database.' }));
    assert.deepEqual([sentBack.set.status, sentBack.set.startAt, sentBack.set.endAt], ['pending_review', proposal.startAt, proposal.endAt]);
    const edit = decideOperatorUpdate(proposal, windowForm({ status: 'pending_review', startAt: 2_500_000, endAt: 3_500_000 }), NOW, CREATOR);
    assert.equal(edit.outcome, 'changed');
    if (edit.outcome === 'changed') assert.deepEqual([edit.set.status, edit.set.startAt, edit.set.endAt], ['pending_review', 2_500_000, 3_500_000]);
    assert.deepEqual(decideOperatorUpdate(proposal, windowForm({ status: 'pending_review', startAt: 2_500_000 }), NOW, CREATOR), refused(['end', 'End date cannot be empty']));
  });

  it('does not count the review’s entries as progress: an approved maintenance may be moved or started early', () => {
    const approved: StatusEvent = { ...planned, updates: [entry('planned', 960_000), entry('reviewed', 950_000), entry('pending_review', 900_000)] };
    assert.equal(changed(approved, windowForm({ status: 'modified', startAt: 2_100_000, endAt: 3_100_000 })).set.startAt, 2_100_000);
    assert.equal(changed(approved, windowForm({ status: 'in progress', date: 990_000 })).set.startAt, 990_000);
  });
});
