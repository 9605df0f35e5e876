// The maintenance review on our own pages (issue 17): creators propose with the form, operators
// and admins find proposals in the header and on /reviews, approve, send back or cancel them on
// the event page, and readers see nothing of a proposal until it is approved. The rules behind
// each step are unit-tested (test/domain/operator-forms.test.ts, maintenance-review.test.ts);
// here each goes through the routes, the write transaction and the pages, on both databases.
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import type { Component } from '../../src/domain/component.js';
import { databaseOf } from '../../src/storage/database-of.js';
import { findEvent } from '../../src/storage/events.js';
import { advanceLifecycles } from '../../src/storage/lifecycle.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { logInOperator, type OperatorClient } from '../helpers/operator.js';
import { XSS, XSS_ESCAPED } from '../helpers/pages.js';

interface Setup {
  test: TestApp;
  /** a creator */
  carol: OperatorClient;
  /** an operator */
  bob: OperatorClient;
  compute: Component;
  storage: Component;
}

async function setUp(t: TestContext): Promise<Setup> {
  const test = await buildTestApp(t);
  const [compute, storage] = await createComponents(test.store, {
    'Elastic Cloud Server': { region: 'EU-DE', category: 'Compute', type: 'ecs' },
    'Object Storage Service': { region: 'EU-DE', category: 'Storage', type: 'obs' },
  });
  if (!compute || !storage) throw new Error('components not created');
  return { test, carol: await logInOperator(test, 'carol', 'creator'), bob: await logInOperator(test, 'bob', 'operator'), compute, storage };
}

/** `datetime-local` text of an instant in UTC. */
const local = (at: number) => new Date(at).toISOString().slice(0, 19);

const eventIdOf = (location: unknown) => Number(/^\/incidents\/(\d+)$/.exec(String(location))?.[1]);

const CONTACT = 'dba@example.org';

/** The fields of a maintenance a creator proposes: a window two hours ahead, on the compute service. */
function proposalFields({ test, compute }: Setup, fields: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const start = test.clock.read() + 2 * HOUR;
  return {
    type: 'maintenance',
    title: 'Database upgrade',
    description: 'Writes pause for a few seconds while the database restarts.',
    contact_email: CONTACT,
    start: local(start),
    end: local(start + HOUR),
    timezone: 'UTC',
    components: String(compute.id),
    ...fields,
  };
}

async function propose(setup: Setup, client: OperatorClient = setup.carol, fields: Record<string, string | string[]> = {}): Promise<number> {
  const response = await client.post('/incidents', proposalFields(setup, fields));
  assert.equal(response.statusCode, 303, response.body);
  return eventIdOf(response.headers.location);
}

/** What the page's Approve button posts (the hidden fields of its form, read from the page as a browser would). */
async function approve(client: OperatorClient, id: number) {
  return client.post(`/incidents/${id}`, await reviewForm(client, id, 'approve'));
}

/** The hidden fields of one of the page's review forms. */
async function reviewForm(client: OperatorClient, id: number, form: 'approve' | 'send-back'): Promise<Record<string, string>> {
  const page = await client.get(`/incidents/${id}`);
  assert.equal(page.statusCode, 200, page.body);
  const start = page.body.indexOf(`<input type="hidden" name="form" value="${form}"/>`);
  assert.ok(start >= 0, `the page has the ${form} form`);
  const fields: Record<string, string> = {};
  for (const match of page.body.slice(start, page.body.indexOf('</form>', start)).matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)"\/>/g)) {
    fields[match[1] ?? ''] = (match[2] ?? '').replaceAll('&amp;', '&');
  }
  return fields;
}

async function statusOf(test: TestApp, id: number): Promise<string | null | undefined> {
  return (await findEvent(databaseOf(test.store), id))?.status;
}

const anonymous = (test: TestApp, url: string, accept = 'text/html') => test.app.inject({ method: 'GET', url, headers: { accept } });

/** Every public surface a proposal must stay out of, as readers get them. */
async function publicSurfaces(test: TestApp): Promise<Record<string, string>> {
  const surfaces: Record<string, string> = {};
  for (const url of ['/', '/history', '/availability', '/feeds/feed.json', '/feeds/atom.xml', '/feeds/rss.xml', '/api/v1/incidents', '/api/v2/events', '/badge.svg', '/badge/region/EU-DE.svg']) {
    const response = await anonymous(test, url, url.startsWith('/api') || url.startsWith('/feeds') ? '*/*' : 'text/html');
    assert.equal(response.statusCode, 200, url);
    surfaces[url] = response.body;
  }
  return surfaces;
}

describeEachDatabase('the review: the new-event form per role', () => {
  it('offers a creator a maintenance proposal only, with a contact email and a description of up to 1,500 characters', async (t) => {
    const { carol } = await setUp(t);
    const page = (await carol.get('/incidents')).body;
    assert.match(page, /<h1>Propose a maintenance<\/h1>/);
    assert.match(page, /<title>Propose a maintenance \|/);
    assert.match(page, /<input type="hidden" name="type" value="maintenance"\/>/);
    assert.doesNotMatch(page, /type="radio"[^>]*name="type"/, 'no choice of kind');
    assert.doesNotMatch(page, /name="impact"/, 'no impact: a maintenance has none');
    assert.match(page, /<label for="contact-email">Contact email<\/label>/);
    assert.match(page, /<input id="contact-email" name="contact_email" type="email"[^>]* required/);
    assert.match(page, /<textarea id="description" name="description"[^>]*required[^>]*maxlength="1500"|<textarea id="description" name="description"[^>]*maxlength="1500"[^>]*required/);
    assert.match(page, /8 to 1,500 characters/);
    assert.match(page, /<button type="submit">Propose the maintenance<\/button>/);
  });

  it('offers operators and admins every kind, the contact email labelled for maintenances', async (t) => {
    const { test, bob } = await setUp(t);
    const admin = await logInOperator(test, 'ada', 'admin');
    for (const [client, description] of [
      [bob, 'Description (required for a maintenance)'],
      [admin, 'Description (optional)'],
    ] as const) {
      const page = (await client.get('/incidents')).body;
      assert.match(page, /<h1>Open an event<\/h1>/);
      for (const type of ['incident', 'maintenance', 'info']) assert.match(page, new RegExp(`name="type" value="${type}"`));
      assert.match(page, /<label for="contact-email">Contact email \(maintenances only\)<\/label>/);
      assert.doesNotMatch(page, /<input id="contact-email"[^>]* required/, 'an incident has no contact');
      assert.match(page, new RegExp(`<label for="description">${description.replace(/[()]/g, '\\$&')}</label>`));
    }
  });

  it('refuses a creator anything but a maintenance, and shows each missing or bad field next to it, keeping what was typed', async (t) => {
    const setup = await setUp(t);
    const { test, carol } = setup;
    const incident = await carol.post('/incidents', proposalFields(setup, { type: 'incident', impact: 'minor', start: local(test.clock.read() - MINUTE), end: '' }));
    assert.equal(incident.statusCode, 400);
    assert.match(incident.body, /A creator may only propose maintenances\./);

    const missing = await carol.post('/incidents', proposalFields(setup, { contact_email: '', description: '' }));
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /<p class="field-problem" id="contact-email-problem">A maintenance needs a contact email\.<\/p>/);
    assert.match(missing.body, /<p class="field-problem" id="description-problem">A maintenance needs a description\.<\/p>/);
    assert.match(missing.body, /<input id="contact-email"[^>]*aria-describedby="contact-email-hint contact-email-problem" aria-invalid="true"/);
    assert.match(missing.body, /value="Database upgrade"/, 'the title is kept');

    const invalid = await carol.post('/incidents', proposalFields(setup, { contact_email: 'dba at example', description: 'x'.repeat(1501) }));
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /id="contact-email-problem">Not a valid email address\./);
    assert.match(invalid.body, /id="description-problem">Field must be between 8 and 1500 characters long\./);
    assert.match(invalid.body, /value="dba at example"/);

    const past = await carol.post('/incidents', proposalFields(setup, { start: local(test.clock.read() - HOUR), end: local(test.clock.read() + HOUR) }));
    assert.equal(past.statusCode, 400);
    assert.match(past.body, /id="start-problem">A maintenance must start in the future\./);
    const rows = await databaseOf(test.store).selectFrom('event').select('id').execute();
    assert.equal(rows.length, 0, 'nothing was opened');

    const longest = await carol.post('/incidents', proposalFields(setup, { description: 'x'.repeat(1500) }));
    assert.equal(longest.statusCode, 303, longest.body);
  });
});

describeEachDatabase('the review: the header and the reviews page', () => {
  it('counts the proposals pending review in the header: all of them for operators and admins, their own for creators; nothing for readers', async (t) => {
    const setup = await setUp(t);
    const { test, carol, bob } = setup;
    const dave = await logInOperator(test, 'dave', 'creator');
    const admin = await logInOperator(test, 'ada', 'admin');
    const before = await publicSurfaces(test);
    assert.match((await bob.get('/')).body, /<a href="\/reviews">Reviews \(0\)<\/a>/);

    await propose(setup);
    await propose(setup, carol, { title: 'Storage firmware update', components: String(setup.storage.id) });
    await propose(setup, dave, { title: 'Network switch replacement' });
    for (const url of ['/', '/history', '/availability', '/incidents', '/reviews', '/audit']) {
      assert.match((await bob.get(url)).body, /<a href="\/incidents">Open an event<\/a> · <a href="\/reviews">Reviews \(3\)<\/a> · <a href="\/audit">Audit log<\/a> · <a href="\/subscribers">Subscribers<\/a> · <a href="\/webhooks">Webhooks<\/a> · <span>Logged in as bob<\/span>/, url);
    }
    assert.match((await admin.get('/')).body, /<a href="\/reviews">Reviews \(3\)<\/a>/);
    for (const url of ['/', '/history', '/incidents', '/reviews']) {
      const page = (await carol.get(url)).body;
      assert.match(page, /<a href="\/incidents">Propose a maintenance<\/a> · <a href="\/reviews">Your proposals \(2\)<\/a> · <span>Logged in as carol<\/span>/, url);
      assert.doesNotMatch(page, /href="\/audit"/, 'the audit log is for operators and admins');
    }
    assert.match((await dave.get('/')).body, /Your proposals \(1\)/);
    // Readers get the very same bytes as before anything was proposed.
    assert.deepEqual(await publicSurfaces(test), before);
    assert.doesNotMatch(before['/'] ?? '', /Reviews|proposals/);
  });

  it('lists the maintenances pending review, newest first, with window, services, proposer and contact; a creator sees their own', async (t) => {
    const setup = await setUp(t);
    const { test, carol, bob, compute, storage } = setup;
    const dave = await logInOperator(test, 'dave', 'creator');
    assert.equal((await anonymous(test, '/reviews')).statusCode, 401);
    assert.match((await bob.get('/reviews')).body, /<p class="notice">No maintenance is pending review\.<\/p>/);

    const first = await propose(setup);
    const second = await propose(setup, carol, { title: `Storage ${XSS} update`, contact_email: 'storage-team@example.org', components: [String(compute.id), String(storage.id)] });
    const theirs = await propose(setup, dave, { title: 'Network switch replacement' });

    const response = await bob.get('/reviews');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'private, no-store');
    const page = response.body;
    assert.match(page, /<h1>Maintenances pending review<\/h1>/);
    assert.match(page, /3 maintenances pending review, newest first/);
    const order = [theirs, second, first].map((id) => page.indexOf(`<a href="/incidents/${id}">`));
    assert.ok(order.every((at) => at >= 0) && order[0]! < order[1]! && order[1]! < order[2]!, `newest first: ${order.join(', ')}`);
    assert.ok(page.includes(XSS_ESCAPED) && !page.includes(XSS), 'titles are escaped');
    assert.match(page, /<dt>Window<\/dt><dd><time datetime="2026-03-10T14:00:00.000Z">[^<]*<\/time> to <time datetime="2026-03-10T15:00:00.000Z">/);
    assert.match(page, /<dt>Services<\/dt><dd><a href="\/components\/\d+">Elastic Cloud Server<\/a>, <a href="\/components\/\d+">Object Storage Service<\/a><\/dd>/);
    assert.match(page, /<dt>Proposed by<\/dt><dd>carol<\/dd>/);
    assert.match(page, /<dt>Proposed by<\/dt><dd>dave<\/dd>/);
    assert.match(page, /<a href="mailto:storage-team@example.org">storage-team@example.org<\/a>/);
    assert.match(page, /Maintenance is proposed and awaits review\./);

    const own = (await dave.get('/reviews')).body;
    assert.match(own, /<h1>Your proposals<\/h1>/);
    assert.match(own, new RegExp(`href="/incidents/${theirs}"`));
    assert.doesNotMatch(own, new RegExp(`href="/incidents/(${first}|${second})"`), "not carol's");
    const nobody = await logInOperator(test, 'erin', 'creator');
    assert.match((await nobody.get('/reviews')).body, /You have no proposal pending review\./);
  });
});

describeEachDatabase('the review: a proposal’s page', () => {
  it('shows operators that it is pending review, its proposer and contact, Approve and Send back; readers get 404', async (t) => {
    const setup = await setUp(t);
    const { test, bob } = setup;
    const id = await propose(setup);
    const page = (await bob.get(`/incidents/${id}`)).body;
    assert.match(page, /<p class="event-state" data-live-summary="true">Maintenance pending review<\/p>/);
    assert.match(page, /<h2 id="review-heading">Pending review<\/h2>/);
    assert.match(page, /<dt>Proposed by<\/dt><dd>carol<\/dd>/);
    assert.match(page, new RegExp(`<dt>Contact</dt><dd><a href="mailto:${CONTACT}">${CONTACT}</a></dd>`));
    assert.match(page, /<button type="submit">Approve<\/button>/);
    assert.match(page, /<textarea id="send-back-text" name="text"[^>]*required/);
    assert.match(page, /<button type="submit">Send back<\/button>/);
    for (const status of ['reviewed', 'pending_review', 'cancelled']) assert.match(page, new RegExp(`<option value="${status}">`), status);

    assert.equal((await anonymous(test, `/incidents/${id}`)).statusCode, 404);
    assert.equal((await anonymous(test, `/incidents/${id}`, 'application/json')).statusCode, 404);
    assert.equal((await anonymous(test, `/api/v2/events/${id}`, 'application/json')).statusCode, 404);
  });

  it('approves: reviewed at once, planned by the lifecycle, in progress once its window starts; readers see it only from the approval on, without proposer or contact', async (t) => {
    const setup = await setUp(t);
    const { test, bob } = setup;
    const before = await publicSurfaces(test);
    const id = await propose(setup, setup.carol, { start: local(test.clock.read() + 10 * MINUTE), end: local(test.clock.read() + HOUR) });
    assert.deepEqual(await publicSurfaces(test), before, 'a proposal is on no public surface');

    const approved = await approve(bob, id);
    assert.equal(approved.statusCode, 303, approved.body);
    assert.equal(approved.headers.location, `/incidents/${id}`);
    assert.equal(await statusOf(test, id), 'reviewed');
    const event = await findEvent(databaseOf(test.store), id);
    assert.deepEqual(event?.updates[0] && [event.updates[0].status, event.updates[0].text, event.updates[0].author], ['reviewed', 'The maintenance is approved.', 'local:bob']);
    assert.match((await bob.get('/')).body, /Reviews \(0\)/);

    const reader = await anonymous(test, `/incidents/${id}`);
    assert.equal(reader.statusCode, 200);
    assert.match(reader.body, /Database upgrade/);
    for (const secret of [CONTACT, 'Proposed by', 'carol', 'bob']) assert.ok(!reader.body.includes(secret), `readers do not see ${secret}`);
    assert.match((await anonymous(test, '/feeds/feed.json', '*/*')).body, /Database upgrade/);
    assert.match((await anonymous(test, '/api/v1/incidents', '*/*')).body, /Database upgrade/);

    assert.equal(await advanceLifecycles(test.store, test.clock.read()), 1);
    assert.equal(await statusOf(test, id), 'planned');
    assert.match((await anonymous(test, `/incidents/${id}`)).body, /Maintenance is approved and planned\./);
    assert.match((await anonymous(test, '/')).body, /Database upgrade/);

    test.clock.advance(11 * MINUTE);
    await advanceLifecycles(test.store, test.clock.read());
    const running = (await anonymous(test, `/incidents/${id}`)).body;
    assert.match(running, /Maintenance in progress/);
    assert.match(running, /Maintenance is in progress\./);
  });

  it('sends a proposal back with a required message, which its proposer reads; the proposer edits it, then withdraws it', async (t) => {
    const setup = await setUp(t);
    const { test, bob, carol } = setup;
    const id = await propose(setup);
    const form = await reviewForm(bob, id, 'send-back');

    const empty = await bob.post(`/incidents/${id}`, { ...form, text: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /<p class="field-problem" id="send-back-text-problem">Field must be between 10 and 5000 characters long\.<\/p>/);
    assert.match(empty.body, /<h2 id="review-heading">Pending review<\/h2>/, 'the review panel shows it, not the update form');

    const sentBack = await bob.post(`/incidents/${id}`, { ...form, text: 'Please say which database and how long writes pause.' });
    assert.equal(sentBack.statusCode, 303, sentBack.body);
    assert.equal(await statusOf(test, id), 'pending_review');
    assert.match((await carol.get('/reviews')).body, /pending review<\/span>, <time[^>]*>[^<]*<\/time> by bob:<\/p><p class="update-text">Please say which database and how long writes pause\./);

    // Her page: the update form to edit or withdraw it, no review buttons.
    const own = (await carol.get(`/incidents/${id}`)).body;
    assert.match(own, /<h2 id="update-heading">Edit your proposal<\/h2>/);
    assert.match(own, /<option value="pending_review">pending review: saves the title and window below; it stays pending review<\/option>/);
    assert.match(own, /<option value="cancelled">/);
    assert.doesNotMatch(own, /<option value="reviewed">/);
    assert.doesNotMatch(own, /<button type="submit">Approve<\/button>/);
    assert.doesNotMatch(own, /Correct this text/);

    const start = test.clock.read() + 3 * HOUR;
    const edited = await carol.post(`/incidents/${id}`, {
      status: 'pending_review',
      title: 'Database upgrade of the orders database',
      text: 'Named the database; writes pause for about ten seconds.',
      timezone: 'UTC',
      start: local(start),
      end: local(start + HOUR),
    });
    assert.equal(edited.statusCode, 303, edited.body);
    const event = await findEvent(databaseOf(test.store), id);
    assert.deepEqual([event?.status, event?.title, event?.startAt, event?.endAt], ['pending_review', 'Database upgrade of the orders database', start, start + HOUR]);

    const withdrawn = await carol.post(`/incidents/${id}`, { status: 'cancelled', title: 'Database upgrade of the orders database', text: 'Not needed after all.', timezone: 'UTC' });
    assert.equal(withdrawn.statusCode, 303, withdrawn.body);
    assert.equal(await statusOf(test, id), 'cancelled');
    assert.match((await carol.get('/reviews')).body, /Your proposals \(0\)/);
    assert.match((await bob.get('/reviews')).body, /No maintenance is pending review\./);
    assert.equal((await anonymous(test, `/incidents/${id}`)).statusCode, 404, 'a withdrawn proposal was never public');
  });

  it('lets an operator cancel a proposal through the update form', async (t) => {
    const setup = await setUp(t);
    const { test, bob } = setup;
    const id = await propose(setup);
    const cancelled = await bob.post(`/incidents/${id}`, { status: 'cancelled', title: 'Database upgrade', text: 'Not during the sales week.', timezone: 'UTC' });
    assert.equal(cancelled.statusCode, 303, cancelled.body);
    assert.equal(await statusOf(test, id), 'cancelled');
    assert.match((await bob.get(`/incidents/${id}`)).body, /This maintenance was cancelled: it takes no more updates\./);
    assert.equal((await anonymous(test, `/incidents/${id}`)).statusCode, 404);
  });
});

describeEachDatabase('the review: what creators may not do', () => {
  it('keeps a creator from someone else’s proposal: 403 on its page and its forms, without its details', async (t) => {
    const setup = await setUp(t);
    const { test, bob } = setup;
    const dave = await logInOperator(test, 'dave', 'creator');
    const id = await propose(setup);
    const page = await dave.get(`/incidents/${id}`);
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /Only operators, admins and the person who proposed it can see it\./);
    assert.match(page.body, /Logged in as dave/);
    const json = await test.app.inject({ method: 'GET', url: `/incidents/${id}`, headers: { cookie: dave.cookie, accept: 'application/json' } });
    assert.equal(json.statusCode, 403);
    for (const fields of [
      { status: 'cancelled', title: 'Database upgrade', text: 'Cancelling it for carol.' },
      { status: 'pending_review', title: 'Database upgrade', text: 'Editing it for carol.' },
      { status: 'reviewed', title: 'Database upgrade', text: 'Approving it myself.' },
    ]) {
      const response = await dave.post(`/incidents/${id}`, { ...fields, timezone: 'UTC' });
      assert.equal(response.statusCode, 403, fields.status);
      assert.ok(!response.body.includes(CONTACT) && !response.body.includes('Database upgrade'), 'nothing of the proposal is shown');
    }
    assert.equal(await statusOf(test, id), 'pending_review');
    assert.match((await bob.get(`/incidents/${id}`)).body, /Pending review/);
  });

  it('keeps a creator from approving their own proposal and from running incidents', async (t) => {
    const setup = await setUp(t);
    const { test, carol, bob, compute, storage } = setup;
    const id = await propose(setup);
    const own = await carol.post(`/incidents/${id}`, { status: 'reviewed', title: 'Database upgrade', text: 'Approving my own work.', timezone: 'UTC' });
    assert.equal(own.statusCode, 403);
    assert.match(own.body, /a creator may only edit \(pending_review\) or cancel a proposal/);
    assert.equal(await statusOf(test, id), 'pending_review');

    const opened = await bob.post('/incidents', {
      type: 'incident',
      title: 'Servers do not start',
      impact: 'major',
      start: local(test.clock.read() - MINUTE),
      timezone: 'UTC',
      components: [String(compute.id), String(storage.id)],
    });
    const incident = eventIdOf(opened.headers.location);
    const page = (await carol.get(`/incidents/${incident}`)).body;
    assert.match(page, /Only operators and admins can update this incident\./);
    assert.doesNotMatch(page, /<form[^>]*action="\/incidents\/\d+"/, 'no update form');
    assert.doesNotMatch(page, /Correct this text|>Separate</);

    const update = await carol.post(`/incidents/${incident}`, { status: 'fixing', title: 'Servers do not start', text: 'Fixing it myself.', impact: 'major', timezone: 'UTC', date: local(test.clock.read()) });
    assert.equal(update.statusCode, 403);
    assert.match(update.body, /access is denied: a creator may change only the maintenances they proposed/);
    assert.equal((await carol.post(`/incidents/${incident}/separate`, { component: String(compute.id) })).statusCode, 403);
    assert.equal((await carol.post(`/incidents/${incident}/updates/0`, { text: 'A better first entry.' })).statusCode, 403);
    assert.equal((await carol.get('/audit')).statusCode, 403);
    assert.equal(await statusOf(test, incident), 'detected');
  });
});

describeEachDatabase('the review: approvals at once and after an edit', () => {
  it('lets exactly one of two operators approving at once win; the other is told it is reviewed (409)', async (t) => {
    const setup = await setUp(t);
    const { test, bob } = setup;
    const erin = await logInOperator(test, 'erin', 'operator');
    const id = await propose(setup);
    const [bobsForm, erinsForm] = await Promise.all([reviewForm(bob, id, 'approve'), reviewForm(erin, id, 'approve')]);
    const responses = await Promise.all([bob.post(`/incidents/${id}`, bobsForm), erin.post(`/incidents/${id}`, erinsForm)]);
    assert.deepEqual(responses.map((response) => response.statusCode).sort(), [303, 409]);
    const refused = responses.find((response) => response.statusCode === 409);
    assert.match(refused?.body ?? '', /only a maintenance pending review can be approved; this one is reviewed/);
    assert.match(refused?.body ?? '', /<h2 id="review-heading">Review<\/h2>/, 'said where the Approve button was');
    const event = await findEvent(databaseOf(test.store), id);
    assert.equal(event?.updates.filter((update) => update.status === 'reviewed').length, 1);
  });

  it('holds an approval to what was reviewed: a proposal edited since is a conflict (409), approved once looked at again', async (t) => {
    const setup = await setUp(t);
    const { test, bob, carol } = setup;
    const id = await propose(setup);
    const seen = await reviewForm(bob, id, 'approve');
    const edited = await carol.post(`/incidents/${id}`, { status: 'pending_review', title: 'Database upgrade, two databases', text: 'Added the second database.', timezone: 'UTC' });
    assert.equal(edited.statusCode, 303, edited.body);
    const stale = await bob.post(`/incidents/${id}`, seen);
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /This maintenance was changed since the page was loaded \(version 1, now 2\)\. Please look at it again\./);
    assert.equal(await statusOf(test, id), 'pending_review');
    assert.equal((await approve(bob, id)).statusCode, 303);
    const event = await findEvent(databaseOf(test.store), id);
    assert.equal(event?.title, 'Database upgrade, two databases', 'the approval keeps the title it was shown');
  });
});
