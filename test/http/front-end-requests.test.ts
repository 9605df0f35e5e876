// Every request the React front end (StatusDashboard-V3 1.5.0, and its `role` branch with the
// review screens) sends to API v2, with the body exactly as its source builds it, answered as it
// expects (issue 17). Where each body comes from, in the front end's source:
//   create         src/Components/New/useNewForm.ts (title, description, type, impact, components,
//                  start_date, contact_email for maintenances, end_date unless an incident)
//   edit           src/Components/Event/useEditForm.tsx (title, status, impact, message,
//                  update_date, description; contact_email and version for maintenances;
//                  start_date unless an incident; end_date when set; "reopened" / "changed" /
//                  "impact changed" as the form decides)
//   approve        src/Components/Event/EventApprove.tsx on `role` (status, version, message, update_date)
//   extract        src/Components/Event/useEventExtract.ts ({components})
//   reads          src/Services/Status.tsx, Availability.tsx (a token, possibly expired, on GETs)
// Dates are `Date.prototype.toISOString()`: UTC with milliseconds.
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { advanceLifecycles } from '../../src/storage/lifecycle.js';
import { DAY, HOUR, MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { roleFixture } from '../helpers/roles.js';
import type { V2ReportResult, V2StaffEvent } from '../helpers/v2.js';

type FrontEndEvent = V2StaffEvent;

/** The role app, as the front end's users: creator carol, operator olivia. */
async function setUp(t: TestContext) {
  const fixture = await roleFixture(t);
  return { ...fixture, ids: [fixture.compute, fixture.storage], creator: fixture.tokens.carol, operator: fixture.tokens.olivia };
}

const iso = (ms: number) => new Date(ms).toISOString();

describeEachDatabase('the React front end’s requests (issue 17)', () => {
  it('runs an incident: create, status update, impact change, resolve, reopen, date edit, extract', async (t) => {
    const { api, as, ids, operator } = await setUp(t);
    const now = () => iso(api.clock.now);
    const created = await as(operator, 'POST', '/v2/events', { title: 'Compute is slow', description: '', type: 'incident', impact: 1, components: ids, start_date: iso(api.clock.now - 10 * MINUTE) });
    assert.equal(created.statusCode, 200, created.body);
    // The front end navigates to res.result.at(0)?.incident_id.
    const id = created.json<V2ReportResult>().result.at(0)?.incident_id ?? 0;
    assert.ok(id > 0);
    const edit = async (body: Record<string, unknown>) => {
      api.clock.advance(MINUTE);
      const response = await as(operator, 'PATCH', `/v2/events/${id}`, { title: 'Compute is slow', message: 'We are on it, more soon.', update_date: now(), description: '', ...body });
      assert.equal(response.statusCode, 200, `${JSON.stringify(body)}: ${response.body}`);
      return response.json<FrontEndEvent>();
    };
    assert.equal((await edit({ status: 'analysing', impact: 1 })).status, 'analyzing');
    assert.equal((await edit({ status: 'impact changed', impact: 2 })).impact, 2);
    const resolved = await edit({ status: 'resolved', impact: 2 });
    assert.deepEqual([resolved.status, resolved.end_date], ['resolved', now()]);
    const reopened = await edit({ status: 'reopened', impact: 2 });
    assert.deepEqual([reopened.status, reopened.end_date], ['reopened', undefined]);
    const closedAgain = await edit({ status: 'resolved', impact: 2 });
    const newStart = iso(api.clock.now - HOUR);
    const changed = await edit({ status: 'changed', impact: 2, start_date: newStart, end_date: closedAgain.end_date });
    assert.equal(changed.start_date, newStart);

    const incident = await edit({ status: 'reopened', impact: 2 });
    assert.equal(incident.components.length, 2);
    const extracted = await as(operator, 'POST', `/v2/events/${id}/extract`, { components: [ids[1]] });
    assert.equal(extracted.statusCode, 200, extracted.body);
    assert.ok(extracted.json<{ id: number }>().id > id, 'the front end navigates to res.id');
  });

  it('runs the review: a creator proposes, edits and an operator approves; the version is sent back; a stale one gets 409', async (t) => {
    const { api, as, ids, creator, operator } = await setUp(t);
    const start = api.clock.now + 2 * DAY;
    const created = await as(creator, 'POST', '/v2/events', {
      title: 'Storage firmware update',
      description: 'The storage nodes get a new firmware, one at a time.',
      type: 'maintenance',
      impact: 0,
      components: [ids[1]],
      start_date: iso(start),
      contact_email: 'storage-team@example.org',
      end_date: iso(start + 2 * HOUR),
    });
    assert.equal(created.statusCode, 200, created.body);
    const id = created.json<V2ReportResult>().result.at(0)?.incident_id ?? 0;
    const list = await as(creator, 'GET', '/v2/events?page=1&limit=50');
    const loaded = list.json<{ data: FrontEndEvent[]; pagination: { totalPages: number } }>();
    assert.equal(loaded.pagination.totalPages, 1);
    const proposal = loaded.data.find((event) => event.id === id);
    assert.deepEqual([proposal?.status, proposal?.contact_email, proposal?.version, proposal?.creator], ['pending_review', 'storage-team@example.org', 1, 'oidc:carol-sub']);

    // The creator's edit: the whole form, the version as loaded.
    const edited = await as(creator, 'PATCH', `/v2/events/${id}`, {
      title: 'Storage firmware update, with rollback',
      status: 'pending_review',
      impact: 0,
      message: 'Added the rollback plan.',
      update_date: iso(api.clock.now),
      description: 'The storage nodes get a new firmware, one at a time; rollback within minutes.',
      contact_email: 'storage-team@example.org',
      version: proposal?.version,
      start_date: iso(start),
      end_date: iso(start + 2 * HOUR),
    });
    assert.equal(edited.statusCode, 200, edited.body);

    // The front end does not bump its copy's version after a PATCH: an operator who loaded the
    // list before the edit approves data that changed since, and is told so (its toast shows it).
    const stale = await as(operator, 'PATCH', `/v2/events/${id}`, { status: 'reviewed', version: 1, message: 'Approved by olivia', update_date: iso(api.clock.now) });
    assert.deepEqual([stale.statusCode, stale.json<{ errMsg: string }>().errMsg], [409, 'version conflict: the event is at version 2, the change was made to version 1']);
    const fresh = (await as(operator, 'GET', '/v2/events?page=1&limit=50')).json<{ data: FrontEndEvent[] }>().data.find((event) => event.id === id);
    const approved = await as(operator, 'PATCH', `/v2/events/${id}`, { status: 'reviewed', version: fresh?.version, message: 'Approved by olivia', update_date: iso(api.clock.now) });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json<FrontEndEvent>().status, 'reviewed');
    await advanceLifecycles(api.store, api.clock.now);

    // An operator edits the planned maintenance with the whole form, then cancels it.
    const planned = (await as(operator, 'GET', `/v2/events/${id}`)).json<FrontEndEvent>();
    assert.equal(planned.status, 'planned');
    const form = { title: planned.title, impact: 0, update_date: iso(api.clock.now), description: planned.description, contact_email: planned.contact_email, start_date: planned.start_date, end_date: planned.end_date };
    const modified = await as(operator, 'PATCH', `/v2/events/${id}`, { ...form, status: 'modified', message: 'Moved by an hour.', version: planned.version, end_date: iso(start + 3 * HOUR) });
    assert.equal(modified.statusCode, 200, modified.body);
    const cancelled = await as(operator, 'PATCH', `/v2/events/${id}`, { ...form, status: 'cancelled', message: 'Called off.', version: modified.json<FrontEndEvent>().version });
    assert.equal(cancelled.json<FrontEndEvent>().status, 'cancelled', cancelled.body);
  });

  it('runs a notice: create without an end (end_date null from a cleared picker), complete it without an end', async (t) => {
    const { api, as, ids, operator } = await setUp(t);
    const start = api.clock.now - HOUR;
    const created = await as(operator, 'POST', '/v2/events', { title: 'New console released', description: '', type: 'info', impact: 0, components: [ids[0]], start_date: iso(start), end_date: null });
    assert.equal(created.statusCode, 200, created.body);
    const id = created.json<V2ReportResult>().result.at(0)?.incident_id ?? 0;
    const completed = await as(operator, 'PATCH', `/v2/events/${id}`, {
      title: 'New console released',
      status: 'completed',
      impact: 0,
      message: 'The release notes are online.',
      update_date: iso(api.clock.now),
      description: '',
      start_date: iso(start),
    });
    assert.deepEqual([completed.statusCode, completed.json<FrontEndEvent>().status, completed.json<FrontEndEvent>().end_date], [200, 'completed', iso(api.clock.now)]);
  });

  it('reads with a stale token as everyone does: components as an array, events with pages, availability', async (t) => {
    const { api, tokenOf } = await setUp(t);
    const expired = await tokenOf('operator', 'olivia', { expiresIn: -60 });
    const read = (url: string) => api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${expired}` } });
    const components = await read('/v2/components');
    assert.ok(Array.isArray(components.json()), components.body);
    assert.deepEqual((await read('/v2/events?page=1&limit=50')).json(), { data: [] });
    assert.ok(Array.isArray((await read('/v2/availability')).json<{ data: unknown[] }>().data));
  });
});
