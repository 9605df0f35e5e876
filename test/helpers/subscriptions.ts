// Email subscriptions in tests (issue 18): an app with them on, the subscribe form posted as a
// browser does, and the notifier sending to a test SMTP server.
import type { TestContext } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { subscriptionLinkKey, type LinkPurpose } from '../../src/auth/subscription-links.js';
import { smtpMailer } from '../../src/notify/mailer.js';
import type { Notifier, NotifierSettings } from '../../src/notify/notifier.js';
import { buildTestApp, TEST_SECRET, type TestApp } from './app.js';
import { testNotifier } from './notifier.js';
import { formBody } from './operator.js';
import type { ReceivedMail } from './smtp.js';

/** The key of the links in mails, as the server derives it from the tests' secret key. */
export const TEST_LINK_KEY = subscriptionLinkKey(TEST_SECRET);

/** SD_PUBLIC_URL of the mails' links; tests open the links' paths on the app. */
export const MAIL_PUBLIC_URL = 'https://status.example.org';

export const SITE_TITLE = 'Test Status';

/** The test app with email subscriptions on, as with SD_SMTP_URL set. */
export function buildSubscriptionApp(t: TestContext, options: Parameters<typeof buildTestApp>[1] = {}): Promise<TestApp> {
  return buildTestApp(t, { ...options, subscriptions: { linkKey: TEST_LINK_KEY } });
}

/** The fields a reader sends for the whole cloud and every kind, with these changes. */
export function subscribeFields(email: string, fields: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return { email, place: 'cloud', incidents: '1', maintenances: 'yes', notices: 'yes', ...fields };
}

/** Posts a form as a browser does, from a client address of the test's choice. */
export function postForm(api: TestApp, url: string, fields: Record<string, string | string[]>, remoteAddress = '203.0.113.7'): Promise<LightMyRequestResponse> {
  return api.app.inject({ method: 'POST', url, remoteAddress, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: formBody(fields) });
}

export function getPage(api: TestApp, url: string): Promise<LightMyRequestResponse> {
  return api.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
}

/** The notifier of an instance, sending mails through `smtpUrl`; the test drives it with runOnce. */
export function mailNotifier(t: TestContext, api: TestApp, smtpUrl: string, settings: Partial<NotifierSettings> = {}): Notifier {
  const mailer = smtpMailer(smtpUrl, `${SITE_TITLE} <status@example.org>`, 5_000);
  t.after(() => mailer.close());
  return testNotifier(t, api, { publicUrl: MAIL_PUBLIC_URL, site: SITE_TITLE, linkKey: TEST_LINK_KEY, mailer, allowPrivateWebhooks: false, concurrency: 4, ...settings });
}

/** The path of a mail's link of this purpose (`/subscriptions/confirm/<token>`), from its text part. */
export function linkIn(mail: ReceivedMail | undefined, purpose: LinkPurpose): string {
  const match = new RegExp(`${MAIL_PUBLIC_URL.replace(/\./g, '\\.')}(/subscriptions/${purpose}/[A-Za-z0-9._-]+)`).exec(mail?.text ?? '');
  if (!match?.[1]) throw new Error(`no ${purpose} link in the mail: ${mail?.text ?? '(no mail)'}`);
  return match[1];
}
