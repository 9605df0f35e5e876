// PATCH /v2/events/:id (reference v3 §3.5, its tests A9 and A10) and
// PATCH /v2/events/:id/updates/:position (§3.7).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DAY, HOUR } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import type { V2Event } from '../helpers/v2.js';
import { databaseOf } from '../../src/storage/database-of.js';


const iso = (ms: number) => new Date(ms).toISOString();

async function fixture(t: Parameters<typeof buildTestApp>[0], seed: Parameters<typeof createEvent>[1] | undefined = undefined) {
  const api = await buildTestApp(t);
  const [component] = await createComponents(api.store, { 'Cloud Container Engine': { region: 'EU-DE', category: 'Container', type: 'cce' } });
  const id = await createEvent(api.store, seed ?? { impact: 1, startAt: api.clock.now - 2 * DAY, status: 'detected', componentIds: [component?.id ?? 0] });
  return { api, id };
}

function patch(api: TestApp, url: string, body: Record<string, unknown>) {
  return api.app.inject({ method: 'PATCH', url, headers: { authorization: api.auth }, payload: body });
}

describeEachDatabase('PATCH /v2/events/:id', () => {
  const refusals: [string, Record<string, unknown>, string][] = [
    ['a maintenance status on an incident', { status: 'in progress', impact: 1, type: 'incident', start_date: '2024-12-11T14:46:03.877Z', end_date: '2024-12-11T14:46:03.877Z' }, 'wrong status for incident'],
    ['a new start for an open incident', { status: 'analysing', start_date: '2024-12-11T14:46:03.877Z' }, 'can not change start date for open incident'],
    ['an impact change without "impact changed"', { impact: 0, status: 'analysing', type: 'maintenance' }, 'wrong status for changing impact'],
    ['an impact change to 0', { impact: 0, status: 'impact changed', type: 'maintenance' }, 'can not change impact to 0'],
    ['impact 0 for an incident', { impact: 0, status: 'impact changed' }, "impact must be 0 for type 'maintenance' or 'info' and gt 0 for 'incident'"],
    ['reopening an open incident', { status: 'reopened' }, 'wrong status for incident'],
  ];
  for (const [what, body, message] of refusals) {
    it(`refuses ${what} with 400 and changes nothing (A9)`, async (t) => {
      const { api, id } = await fixture(t);
      const before = (await api.getJson<V2Event>(`/v2/events/${id}`)).body;
      const response = await patch(api, `/v2/events/${id}`, { message: 'm', update_date: iso(api.clock.now), ...body });
      assert.deepEqual({ status: response.statusCode, body: response.json() }, { status: 400, body: { errMsg: message } });
      assert.deepEqual((await api.getJson<V2Event>(`/v2/events/${id}`)).body, before);
    });
  }

  it('runs an incident through its life: update, impact change, resolve, change dates, reopen, resolve (A10)', async (t) => {
    const { api, id } = await fixture(t);
    const now = api.clock.now;
    const step = async (body: Record<string, unknown>) => {
      const response = await patch(api, `/v2/incidents/${id}`, { update_date: iso(now), ...body });
      assert.equal(response.statusCode, 200, response.body);
      return response.json<V2Event>();
    };
    const first = await step({ title: 'patched incident title', description: 'patched incident description', message: 'update title', status: 'analysing' });
    assert.equal(first.title, 'patched incident title');
    assert.equal(first.description, 'patched incident description');
    assert.equal(first.status, 'analyzing');
    assert.equal(first.system, false);
    assert.equal((await step({ message: 'worse', status: 'impact changed', impact: 2 })).impact, 2);
    const resolvedAt = now - HOUR;
    const resolved = await step({ message: 'fixed', status: 'resolved', update_date: iso(resolvedAt) });
    assert.equal(resolved.end_date, iso(resolvedAt));
    const changed = await step({ message: 'dates', status: 'changed', start_date: iso(now - DAY), end_date: iso(now) });
    assert.deepEqual([changed.start_date, changed.end_date, changed.status], [iso(now - DAY), iso(now), 'changed']);
    const reopened = await step({ message: 'back', status: 'reopened' });
    assert.equal(reopened.end_date, undefined);
    const again = await step({ message: 'done', status: 'resolved' });
    assert.equal(again.status, 'resolved');
    assert.equal(again.end_date, iso(now));
    assert.deepEqual(again.updates.map((u) => [u.id, u.status, u.text]), [
      [0, 'analyzing', 'update title'],
      [1, 'impact changed', 'worse'],
      [2, 'resolved', 'fixed'],
      [3, 'changed', 'dates'],
      [4, 'reopened', 'back'],
      [5, 'resolved', 'done'],
    ]);
    const closedChange = await patch(api, `/v2/events/${id}`, { message: 'x', status: 'analysing', update_date: iso(now) });
    assert.deepEqual(closedChange.json(), { errMsg: 'wrong status for closed incident' });
  });

  it('moves a maintenance window and refuses incident statuses on it', async (t) => {
    const { api, id } = await fixture(t, { type: 'maintenance', startAt: Date.parse('2026-03-11T10:00:00Z'), endAt: Date.parse('2026-03-11T12:00:00Z') });
    const moved = await patch(api, `/v2/events/${id}`, { message: 'later', status: 'modified', update_date: iso(api.clock.now), start_date: '2026-03-12T10:00:00Z', end_date: '2026-03-12T13:00:00Z' });
    assert.equal(moved.statusCode, 200);
    assert.deepEqual([moved.json<V2Event>().start_date, moved.json<V2Event>().end_date], ['2026-03-12T10:00:00.000Z', '2026-03-12T13:00:00.000Z']);
    const wrong = await patch(api, `/v2/events/${id}`, { message: 'x', status: 'fixing', update_date: iso(api.clock.now) });
    assert.deepEqual(wrong.json(), { errMsg: 'wrong status for maintenance' });
    const backwards = await patch(api, `/v2/events/${id}`, { message: 'x', status: 'modified', update_date: iso(api.clock.now), end_date: '2026-03-01T00:00:00Z' });
    assert.deepEqual(backwards.json(), { errMsg: 'end date must not be before the start date' });
  });

  it('answers 404 for an unknown event, 400 for a bad id or body, 401 without a token', async (t) => {
    const { api, id } = await fixture(t);
    const body = { message: 'm', status: 'fixing', update_date: iso(api.clock.now) };
    assert.deepEqual((await patch(api, '/v2/events/999', body)).json(), { errMsg: 'event does not exist' });
    assert.equal((await patch(api, '/v2/events/abc', body)).statusCode, 400);
    assert.equal((await patch(api, `/v2/events/${id}`, { status: 'fixing' })).statusCode, 400);
    const anonymous = await api.app.inject({ method: 'PATCH', url: `/v2/events/${id}`, payload: body });
    assert.equal(anonymous.statusCode, 401);
  });
});

describeEachDatabase('PATCH /v2/events/:id/updates/:position', () => {
  it('corrects an entry’s text and keeps its status and time; 404 past the last entry', async (t) => {
    const { api, id } = await fixture(t);
    await patch(api, `/v2/events/${id}`, { message: 'typo hree', status: 'fixing', update_date: iso(api.clock.now - HOUR) });
    const edited = await patch(api, `/v2/events/${id}/updates/0`, { text: 'typo here' });
    assert.deepEqual(edited.json(), { id: 0, status: 'fixing', text: 'typo here', timestamp: iso(api.clock.now - HOUR) });
    assert.equal((await api.getJson<V2Event>(`/v2/events/${id}`)).body.updates[0]?.text, 'typo here');
    assert.deepEqual((await patch(api, `/v2/events/${id}/updates/1`, { text: 'x' })).json(), { errMsg: 'update does not exist' });
    assert.equal((await patch(api, `/v2/events/${id}/updates/-1`, { text: 'x' })).statusCode, 400);
    assert.equal((await patch(api, `/v2/events/${id}/updates/0`, { text: '' })).statusCode, 400);
    const audit = await databaseOf(api.store).selectFrom('audit_log').select(['action', 'actor']).where('action', '=', 'event.update-text').execute();
    assert.deepEqual(audit, [{ action: 'event.update-text', actor: 'api:dummy' }]);
  });
});
