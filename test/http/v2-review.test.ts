// Issue 17 through API v2: roles from the provider's groups, the maintenance review, versions,
// and what only people with a role see. Tokens come from a real provider (oauth2-mock-server).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { advanceLifecycles } from '../../src/storage/lifecycle.js';
import { DAY, HOUR } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { roleFixture } from '../helpers/roles.js';
import type { V2Event, V2ReportResult, V2StaffEvent } from '../helpers/v2.js';

const setUp = roleFixture;
type StaffEvent = V2StaffEvent;

type Setup = Awaited<ReturnType<typeof setUp>>;

const iso = (ms: number) => new Date(ms).toISOString();

/** A maintenance as the React front end's form sends it (useNewForm.ts): tomorrow, for two hours. */
function maintenanceBody(setup: Setup, fields: Record<string, unknown> = {}) {
  const start = setup.api.clock.now + DAY;
  return {
    title: 'Kernel upgrade of the hosts',
    description: 'The hosts reboot one after another.',
    type: 'maintenance',
    impact: 0,
    components: [setup.compute],
    start_date: iso(start),
    contact_email: 'carol@example.org',
    end_date: iso(start + 2 * HOUR),
    ...fields,
  };
}

async function propose(setup: Setup, token = setup.tokens.carol, fields: Record<string, unknown> = {}): Promise<number> {
  const response = await setup.as(token, 'POST', '/v2/events', maintenanceBody(setup, fields));
  assert.equal(response.statusCode, 200, response.body);
  const id = response.json<V2ReportResult>().result[0]?.incident_id;
  assert.ok(id);
  return id;
}

const patch = (setup: Setup, token: string, id: number, body: Record<string, unknown>) =>
  setup.as(token, 'PATCH', `/v2/events/${id}`, { message: 'A change of the maintenance.', update_date: iso(setup.api.clock.now), ...body });
const approve = (setup: Setup, token: string, id: number, version?: number) =>
  patch(setup, token, id, { status: 'reviewed', message: 'Approved by Olivia', ...(version === undefined ? {} : { version }) });

async function staffView(setup: Setup, id: number, token = setup.tokens.olivia): Promise<StaffEvent> {
  const response = await setup.as(token, 'GET', `/v2/events/${id}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json<StaffEvent>();
}

const errMsg = (response: { statusCode: number; json<T>(): T }) => ({ status: response.statusCode, body: response.json<{ errMsg?: string }>() });

describeEachDatabase('the maintenance review through API v2 (issue 17)', () => {
  it('opens a creator’s maintenance as a proposal that only people with a role see, with its creator, contact and version', async (t) => {
    const setup = await setUp(t);
    const id = await propose(setup);
    const seen = await staffView(setup, id, setup.tokens.dave);
    assert.deepEqual([seen.status, seen.creator, seen.contact_email, seen.version], ['pending_review', 'oidc:carol-sub', 'carol@example.org', 1]);
    assert.deepEqual(seen.updates.map((u) => [u.status, u.text]), [['pending_review', 'Maintenance is proposed and awaits review.']]);
    const listed = await setup.as(setup.tokens.olivia, 'GET', '/v2/events?status=pending_review');
    assert.deepEqual(listed.json<{ data: StaffEvent[] }>().data.map((event) => event.id), [id]);
    assert.equal(listed.headers['cache-control'], 'private, no-store');
    assert.match(String(listed.headers.vary), /Authorization/);

    // Anonymous readers, readers with a token, and the public views see nothing of it.
    for (const headers of [{}, { authorization: `Bearer ${setup.tokens.rita}` }]) {
      assert.equal((await setup.api.app.inject({ method: 'GET', url: `/v2/events/${id}`, headers })).statusCode, 404);
      assert.deepEqual((await setup.api.app.inject({ method: 'GET', url: '/v2/events', headers })).json(), { data: [] });
      assert.deepEqual((await setup.api.app.inject({ method: 'GET', url: '/v2/incidents', headers })).json(), { data: [] });
    }
    assert.deepEqual((await setup.api.getJson('/api/v1/incidents')).body, []);
  });

  it('lets an operator approve once: a second approval, or one of data that changed, is 409; the lifecycle then plans it and the public sees it', async (t) => {
    const setup = await setUp(t);
    const id = await propose(setup);
    const approved = await approve(setup, setup.tokens.olivia, id, 1);
    assert.equal(approved.statusCode, 200, approved.body);
    assert.deepEqual([approved.json<StaffEvent>().status, approved.json<StaffEvent>().version], ['reviewed', 2]);
    assert.deepEqual(errMsg(await approve(setup, setup.tokens.oscar, id)), { status: 409, body: { errMsg: 'only a maintenance pending review can be approved; this one is reviewed' } });
    assert.deepEqual(errMsg(await patch(setup, setup.tokens.oscar, id, { status: 'modified', version: 1 })), {
      status: 409,
      body: { errMsg: 'version conflict: the event is at version 2, the change was made to version 1' },
    });

    assert.equal(await advanceLifecycles(setup.api.store, setup.api.clock.now), 1);
    const planned = await staffView(setup, id);
    assert.deepEqual([planned.status, planned.version, planned.updates.at(-1)?.text], ['planned', 3, 'Maintenance is approved and planned.']);
    const anonymous = await setup.api.getJson<V2Event & { creator?: string; contact_email?: string; version?: number }>(`/v2/events/${id}`);
    assert.equal(anonymous.body.status, 'planned');
    assert.deepEqual(anonymous.body.updates.map((u) => [u.id, u.status]), [[0, 'planned']], 'the review’s entries stay with the reviewers');
    assert.deepEqual(planned.updates.map((u) => u.status), ['pending_review', 'reviewed', 'planned']);
    assert.deepEqual((await setup.api.getJson<unknown[]>('/api/v1/incidents')).body.length, 1);
    assert.deepEqual([anonymous.body.creator, anonymous.body.contact_email, anonymous.body.version], [undefined, undefined, undefined]);

    // Its window starts: the lifecycle marks it in progress, and it shields its components now.
    setup.api.clock.advance(DAY + HOUR);
    await advanceLifecycles(setup.api.store, setup.api.clock.now);
    assert.equal((await staffView(setup, id)).status, 'in progress');
    const report = await setup.api.postStatus({ name: 'Elastic Cloud Server', impact: 2, attributes: [{ name: 'region', value: 'EU-DE' }] });
    // Reference v1: a report about a component under maintenance answers the maintenance.
    assert.deepEqual([report.statusCode, report.json<{ id: number }>().id], [201, id], report.body);
  });

  it('lets exactly one of two operators approving at once win, round after round', async (t) => {
    const setup = await setUp(t);
    for (let round = 0; round < 5; round++) {
      const id = await propose(setup);
      const answers = await Promise.all([approve(setup, setup.tokens.olivia, id, 1), approve(setup, setup.tokens.oscar, id, 1)]);
      assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [200, 409], answers.map((answer) => answer.body).join('\n'));
      const event = await staffView(setup, id);
      assert.deepEqual([event.status, event.version, event.updates.filter((u) => u.status === 'reviewed').length], ['reviewed', 2, 1]);
    }
  });

  it('lets a creator edit or cancel only their own proposal, and only while it waits', async (t) => {
    const setup = await setUp(t);
    const id = await propose(setup);
    const edited = await patch(setup, setup.tokens.carol, id, { status: 'pending_review', title: 'Kernel upgrade, second try', version: 1 });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json<StaffEvent>().version, 2);
    assert.equal((await patch(setup, setup.tokens.carol, id, { status: 'pending review', title: 'Spelled as the Go back end stores it' })).statusCode, 200);
    assert.deepEqual(errMsg(await patch(setup, setup.tokens.dave, id, { status: 'cancelled' })), {
      status: 403,
      body: { errMsg: 'access is denied: a creator may change only the maintenances they proposed' },
    });
    assert.equal((await patch(setup, setup.tokens.carol, id, { status: 'reviewed' })).statusCode, 403, 'creators do not approve');
    assert.equal((await approve(setup, setup.tokens.olivia, id)).statusCode, 200);
    assert.deepEqual(errMsg(await patch(setup, setup.tokens.carol, id, { status: 'cancelled' })), {
      status: 403,
      body: { errMsg: 'access is denied: a creator may change a maintenance only while it is pending review' },
    });

    const withdrawn = await propose(setup);
    const cancelled = await patch(setup, setup.tokens.carol, withdrawn, { status: 'cancelled', message: 'Not needed after all.' });
    assert.equal(cancelled.json<StaffEvent>().status, 'cancelled');
    assert.equal((await setup.api.app.inject({ method: 'GET', url: `/v2/events/${withdrawn}` })).statusCode, 404, 'a proposal withdrawn before approval was never public');
  });

  it('lets an operator send a proposal back or cancel it, but not move it on unapproved; an admin may do anything', async (t) => {
    const setup = await setUp(t);
    const id = await propose(setup);
    const sentBack = await patch(setup, setup.tokens.olivia, id, { status: 'pending_review', message: 'Please add the rollback plan.' });
    assert.equal(sentBack.json<StaffEvent>().status, 'pending_review');
    assert.equal((await patch(setup, setup.tokens.olivia, id, { status: 'planned' })).statusCode, 409);
    assert.equal((await patch(setup, setup.tokens.olivia, id, { status: 'cancelled', message: 'Overlaps the freeze.' })).statusCode, 200);

    const other = await propose(setup);
    const forced = await patch(setup, setup.tokens.ada, other, { status: 'planned', message: 'Planned directly by an admin.' });
    assert.equal(forced.json<StaffEvent>().status, 'planned');
    assert.equal((await patch(setup, setup.tokens.olivia, other, { status: 'pending_review' })).statusCode, 403, 'only admins send an approved one back');
    assert.equal((await patch(setup, setup.tokens.ada, other, { status: 'pending_review' })).statusCode, 200);
  });

  it('keeps creators to proposing maintenances, and readers to reading', async (t) => {
    const setup = await setUp(t);
    const incident = { title: 'Compute is down', type: 'incident', impact: 2, components: [setup.compute], start_date: iso(setup.api.clock.now - HOUR) };
    assert.deepEqual(errMsg(await setup.as(setup.tokens.carol, 'POST', '/v2/events', incident)), { status: 403, body: { errMsg: 'access is denied: a creator may only propose maintenances' } });
    assert.equal((await setup.as(setup.tokens.carol, 'POST', '/v2/events', { ...incident, system: true })).statusCode, 403);
    const report = await setup.api.app.inject({
      method: 'POST',
      url: '/api/v1/component_status',
      headers: { authorization: `Bearer ${setup.tokens.carol}` },
      payload: { name: 'Elastic Cloud Server', impact: 2, attributes: [{ name: 'region', value: 'EU-DE' }] },
    });
    assert.equal(report.statusCode, 403);
    const id = await propose(setup);
    assert.equal((await setup.as(setup.tokens.carol, 'POST', `/v2/events/${id}/extract`, { components: [setup.compute] })).statusCode, 403);
    assert.deepEqual(errMsg(await setup.as(setup.tokens.rita, 'POST', '/v2/events', maintenanceBody(setup))), { status: 401, body: { errMsg: 'not authenticated' } });
    assert.equal((await setup.as(setup.tokens.olivia, 'POST', '/v2/events', incident)).statusCode, 200, 'operators open incidents');
  });

  it('asks creators and operators for a contact, a description and a window ahead; admins keep the Go back end’s rules', async (t) => {
    const setup = await setUp(t);
    const past = setup.api.clock.now - HOUR;
    const refusals: [Record<string, unknown>, string][] = [
      [{ contact_email: undefined }, 'contact_email is required for maintenance'],
      [{ contact_email: 'carol at example.org' }, 'contact_email has invalid format'],
      [{ description: '' }, 'description is required for maintenance'],
      [{ start_date: iso(past), end_date: iso(past + 2 * HOUR) }, 'start_date must be in the future for maintenance'],
    ];
    for (const token of [setup.tokens.carol, setup.tokens.olivia]) {
      for (const [fields, message] of refusals) {
        assert.deepEqual(errMsg(await setup.as(token, 'POST', '/v2/events', maintenanceBody(setup, fields))), { status: 400, body: { errMsg: message } }, message);
      }
    }
    const admin = await setup.as(setup.tokens.ada, 'POST', '/v2/events', maintenanceBody(setup, { contact_email: undefined, description: undefined, start_date: iso(past), end_date: iso(past + 2 * HOUR) }));
    assert.equal(admin.statusCode, 200, admin.body);
    const cli = await setup.api.app.inject({ method: 'POST', url: '/v2/events', headers: { authorization: setup.api.auth }, payload: maintenanceBody(setup, { contact_email: undefined }) });
    assert.equal(cli.statusCode, 200, 'a CLI token acts as an admin');
    assert.deepEqual(errMsg(await setup.as(setup.tokens.ada, 'POST', '/v2/events', maintenanceBody(setup, { contact_email: 'nope' }))), {
      status: 400,
      body: { errMsg: 'contact_email has invalid format' },
    });
    const planned = await staffView(setup, cli.json<V2ReportResult>().result[0]?.incident_id ?? 0);
    assert.deepEqual([planned.status, planned.creator], ['planned', 'token:dummy']);
  });

  it('does not let a proposal shield its components from monitoring, even inside its window', async (t) => {
    const setup = await setUp(t);
    const proposal = await propose(setup);
    setup.api.clock.advance(DAY + HOUR);
    const report = await setup.api.postStatus({ name: 'Elastic Cloud Server', impact: 2, attributes: [{ name: 'region', value: 'EU-DE' }] });
    assert.equal(report.statusCode, 201, report.body);
    assert.notEqual(report.json<{ id: number }>().id, proposal, 'an incident of its own, not the proposal');
    assert.equal(report.json<{ impact: number }>().impact, 2);
  });
});

describeEachDatabase('API v2 bodies as the React front end sends them (issue 17)', () => {
  it('ignores properties it does not know, and names a refused one once', async (t) => {
    const setup = await setUp(t);
    const id = await propose(setup, setup.tokens.ada, { unknown_field: 'ignored', nested: { also: 'ignored' } });
    assert.ok(id);
    assert.deepEqual(errMsg(await setup.as(setup.tokens.ada, 'POST', '/v2/events', maintenanceBody(setup, { description: 'x'.repeat(1501) }))), {
      status: 400,
      body: { errMsg: 'body/description must NOT have more than 1500 characters' },
    });
    assert.deepEqual(errMsg(await setup.as(setup.tokens.ada, 'POST', '/v2/events', maintenanceBody(setup, { end_date: 42 }))), {
      status: 400,
      body: { errMsg: 'body/end_date must be string' },
    });
    const long = await setup.as(setup.tokens.ada, 'POST', '/v2/events', maintenanceBody(setup, { description: 'x'.repeat(1500), end_date: null, type: 'info', contact_email: undefined }));
    assert.equal(long.statusCode, 200, `descriptions up to 1,500 characters; end_date null is none: ${long.body}`);
  });

  it('ends a notice or maintenance now when it is completed without an end (finding 2)', async (t) => {
    const setup = await setUp(t);
    const start = setup.api.clock.now - HOUR;
    const opened = await setup.as(setup.tokens.olivia, 'POST', '/v2/events', {
      title: 'New console released',
      description: '',
      type: 'info',
      impact: 0,
      components: [setup.storage],
      start_date: iso(start),
    });
    const id = opened.json<V2ReportResult>().result[0]?.incident_id ?? 0;
    const completed = await patch(setup, setup.tokens.olivia, id, { status: 'completed', title: 'New console released', impact: 0, description: '', start_date: iso(start) });
    assert.equal(completed.statusCode, 200, completed.body);
    assert.deepEqual([completed.json<V2Event>().status, completed.json<V2Event>().end_date], ['completed', iso(setup.api.clock.now)]);
  });

  it('answers public reads that carry an expired or foreign token as anonymous ones, never 401', async (t) => {
    const setup = await setUp(t);
    const expired = await setup.tokenOf('operator', 'olivia', { expiresIn: -60 });
    for (const authorization of [`Bearer ${expired}`, 'Bearer not-a-token', 'Basic abc']) {
      for (const url of ['/v2/events?page=1&limit=50', '/v2/components', '/v2/availability']) {
        assert.equal((await setup.api.app.inject({ method: 'GET', url, headers: { authorization } })).statusCode, 200, `${url} with ${authorization.slice(0, 12)}`);
      }
    }
  });
});
