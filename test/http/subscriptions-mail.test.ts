// Email subscriptions end to end (issue 18), with a real SMTP server on loopback (smtp-server)
// and the notifier's smtpMailer: the confirmation mail and its link, nothing but it before the
// address is confirmed, news of what the scope covers and nothing else, the one-click
// unsubscribe headers and links, a stable Message-ID per delivery, and a relay that refuses.
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { recentDeliveries } from '../../src/storage/deliveries.js';
import { findSubscriberByEmail } from '../../src/storage/subscribers.js';
import type { TestApp } from '../helpers/app.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { startSmtpServer, type ReceivedMail } from '../helpers/smtp.js';
import { buildSubscriptionApp, getPage, linkIn, mailNotifier, MAIL_PUBLIC_URL, postForm, subscribeFields } from '../helpers/subscriptions.js';

const READER = 'reader@example.org';

async function setUp(t: TestContext) {
  const api = await buildSubscriptionApp(t);
  await createComponents(api.store, [
    ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute', type: 'ecs' }],
    ['Object Storage Service', { region: 'EU-DE', category: 'Storage', type: 'obs' }],
    ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute', type: 'ecs' }],
  ]);
  const smtp = await startSmtpServer(t);
  const notifier = mailNotifier(t, api, smtp.url);
  return { api, smtp, notifier };
}

/** Monitoring reports a service's trouble through API v1, which opens (or extends) an incident. */
async function report(api: TestApp, name: string, region: string, impact = 2): Promise<void> {
  const response = await api.postStatus({ name, impact, attributes: [{ name: 'region', value: region }] });
  assert.ok(response.statusCode < 300, response.body);
}

/** Subscribes through the form and follows the confirmation mail's link: its page, then its button. */
async function subscribeAndConfirm(api: TestApp, smtp: Awaited<ReturnType<typeof startSmtpServer>>, notifier: { runOnce(): Promise<unknown> }, fields: Record<string, string | string[]>): Promise<ReceivedMail> {
  assert.equal((await postForm(api, '/subscribe', subscribeFields(READER, fields))).statusCode, 200);
  await notifier.runOnce();
  const confirmation = smtp.mailsTo(READER).at(-1);
  const link = linkIn(confirmation, 'confirm');
  assert.match((await getPage(api, link)).body, /Confirm the subscription/);
  assert.equal((await postForm(api, link, {})).statusCode, 200);
  return confirmation as ReceivedMail;
}

describeEachDatabase('email subscriptions through a real SMTP server (issue 18)', () => {
  it('sends one confirmation (text and HTML, a working link), nothing else before it is followed, then news of the scope only', async (t) => {
    const { api, smtp, notifier } = await setUp(t);
    assert.equal((await postForm(api, '/subscribe', subscribeFields(READER, { place: 'region', region: 'EU-DE' }))).statusCode, 200);
    await report(api, 'Elastic Cloud Server', 'EU-DE');
    await notifier.runOnce();
    assert.equal(smtp.mails.length, 1, 'the confirmation only: an unconfirmed address hears no news');
    const [confirmation] = smtp.mails;
    assert.ok(confirmation);
    assert.deepEqual(confirmation.to, [READER]);
    assert.equal(confirmation.subject, 'Confirm your subscription to Test Status');
    assert.match(confirmation.headers.get('from') ?? '', /status@example\.org/);
    assert.match(confirmation.text, /All incidents, maintenances and notices in EU-DE/);
    const link = linkIn(confirmation, 'confirm');
    assert.ok(confirmation.html.includes(`href="${MAIL_PUBLIC_URL}${link}"`), 'the HTML part has the same link');
    assert.equal(confirmation.headers.get('list-unsubscribe'), undefined, 'nothing to unsubscribe from yet');

    // More news before the confirmation: still nothing.
    await report(api, 'Elastic Cloud Server', 'EU-DE', 3);
    await notifier.runOnce();
    assert.equal(smtp.mails.length, 1);

    assert.equal((await postForm(api, link, {})).statusCode, 200);
    // Another impact than the EU-DE incident's: monitoring opens an incident of its own for it.
    await report(api, 'Elastic Cloud Server', 'EU-NL', 1);
    await notifier.runOnce();
    assert.equal(smtp.mails.length, 1, 'EU-NL is outside the scope');

    await report(api, 'Object Storage Service', 'EU-DE', 1);
    await notifier.runOnce();
    assert.equal(smtp.mails.length, 2, 'news of EU-DE arrives');
    const news = smtp.mails[1];
    assert.ok(news);
    assert.deepEqual(news.to, [READER]);
    const incident = /\/incidents\/(\d+)/.exec(news.text)?.[1];
    assert.ok(incident, news.text);
    assert.ok(news.text.includes(`${MAIL_PUBLIC_URL}/incidents/${incident}`), 'the text part links the event page');
    assert.ok(news.html.includes(`href="${MAIL_PUBLIC_URL}/incidents/${incident}"`), 'and so does the HTML part');
    const unsubscribe = linkIn(news, 'unsubscribe');
    assert.equal(news.headers.get('list-unsubscribe'), `<${MAIL_PUBLIC_URL}${unsubscribe}>`);
    assert.equal(news.headers.get('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
    assert.match(news.headers.get('message-id') ?? '', /^<delivery-\d+-[0-9a-z]+@status\.example\.org>$/);
    assert.ok(news.html.includes(`href="${MAIL_PUBLIC_URL}${linkIn(news, 'manage')}"`), 'the HTML part has the manage link');
  });

  it('unsubscribes by the link (page, then button) and by the one-click POST of List-Unsubscribe; nothing arrives after', async (t) => {
    for (const how of ['page', 'one-click'] as const) {
      await t.test(how, async (t) => {
        const { api, smtp, notifier } = await setUp(t);
        await subscribeAndConfirm(api, smtp, notifier, { place: 'cloud' });
        await report(api, 'Elastic Cloud Server', 'EU-DE');
        await notifier.runOnce();
        const news = smtp.mailsTo(READER).at(-1);
        assert.match(news?.subject ?? '', /Elastic Cloud Server|incident/i);
        const target = (news?.headers.get('list-unsubscribe') ?? '').replace(/^<|>$/g, '');
        const path = new URL(target).pathname;
        if (how === 'page') {
          assert.match((await getPage(api, path)).body, /Stop all mails to <strong>reader@example\.org<\/strong>/);
          assert.equal((await postForm(api, path, {})).statusCode, 200);
        } else {
          // As a mail provider sends it (RFC 8058): the header's body, no cookie, nothing else.
          const post = news?.headers.get('list-unsubscribe-post') ?? '';
          const response = await api.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: post });
          assert.equal(response.statusCode, 200);
        }
        assert.equal(await findSubscriberByEmail(api.store, READER), undefined, 'the address is deleted');
        const before = smtp.mails.length;
        await report(api, 'Object Storage Service', 'EU-DE', 3);
        api.clock.advance(2 * MINUTE);
        await notifier.runOnce();
        assert.equal(smtp.mails.length, before, 'nothing more arrives');
      });
    }
  });

  it('changes the scope from the manage link: news of the new scope arrives, of the old one not', async (t) => {
    const { api, smtp, notifier } = await setUp(t);
    await subscribeAndConfirm(api, smtp, notifier, { place: 'region', region: 'EU-DE' });
    // Asking again for a confirmed address brings its own links, and the same page.
    assert.equal((await postForm(api, '/subscribe', subscribeFields(READER))).statusCode, 200);
    await notifier.runOnce();
    const links = smtp.mailsTo(READER).at(-1);
    assert.equal(links?.subject, 'Your subscription to Test Status');
    assert.ok(links?.headers.get('list-unsubscribe'));
    const manage = linkIn(links, 'manage');
    assert.match((await getPage(api, manage)).body, /receives: All incidents, maintenances and notices in EU-DE/);
    assert.equal((await postForm(api, manage, { place: 'region', region: 'EU-NL', incidents: '1' })).statusCode, 200);
    const before = smtp.mails.length;
    await report(api, 'Elastic Cloud Server', 'EU-DE');
    await notifier.runOnce();
    assert.equal(smtp.mails.length, before, 'EU-DE is no longer followed');
    await report(api, 'Elastic Cloud Server', 'EU-NL');
    await notifier.runOnce();
    assert.equal(smtp.mails.length, before + 1, 'EU-NL is');
    assert.match(smtp.mails.at(-1)?.text ?? '', /EU-NL/);
  });

  it('a relay that refuses (4xx) gets the same message again later, the same Message-ID; after a day the delivery is given up with the reason', async (t) => {
    const { api, smtp, notifier } = await setUp(t);
    smtp.refuse.data = { code: 451, message: 'Try again later' };
    assert.equal((await postForm(api, '/subscribe', subscribeFields(READER))).statusCode, 200);
    const subscriber = await findSubscriberByEmail(api.store, READER);
    assert.ok(subscriber);
    const delivery = async () => (await recentDeliveries(api.store, 'email', subscriber.id))[0];

    await notifier.runOnce();
    assert.equal(smtp.attempts.length, 1);
    assert.equal(smtp.mails.length, 0);
    assert.equal((await delivery())?.state, 'pending');
    assert.equal((await delivery())?.lastError, 'SMTP 451');
    await notifier.runOnce();
    assert.equal(smtp.attempts.length, 1, 'not again before its time');

    api.clock.advance(31_000);
    await notifier.runOnce();
    assert.equal(smtp.attempts.length, 2, 'tried again 30 s later');
    const [first, second] = smtp.attempts;
    assert.ok(first?.headers.get('message-id'));
    assert.equal(second?.headers.get('message-id'), first?.headers.get('message-id'), 'the same Message-ID: a receiver can drop a repeat');

    // Refused at the recipient too, until a day has passed since the first attempt.
    smtp.refuse.rcpt = { code: 450, message: 'Mailbox busy' };
    api.clock.advance(26 * HOUR);
    await notifier.runOnce();
    const failed = await delivery();
    assert.equal(failed?.state, 'failed');
    assert.equal(failed?.lastError, 'SMTP 450');
    assert.equal(smtp.mails.length, 0);
  });

  it('a permanent refusal (5xx: no such mailbox) ends the delivery at once', async (t) => {
    const { api, smtp, notifier } = await setUp(t);
    smtp.refuse.rcpt = { code: 550, message: 'No such user' };
    assert.equal((await postForm(api, '/subscribe', subscribeFields(READER))).statusCode, 200);
    const { failed } = await notifier.runOnce();
    assert.equal(failed, 1);
    const subscriber = await findSubscriberByEmail(api.store, READER);
    const [row] = await recentDeliveries(api.store, 'email', subscriber?.id ?? 0);
    assert.equal(row?.state, 'failed');
    assert.equal(row?.lastError, 'SMTP 550');
  });
});
