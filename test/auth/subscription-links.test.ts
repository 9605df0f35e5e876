// Issue 18: the links in subscribers' mails are signed, per subscriber and purpose; the
// confirmation's expires.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIRMATION_LIFETIME_MS, openSubscriptionLink, signSubscriptionLink, subscriptionLinkKey } from '../../src/auth/subscription-links.js';

const key = subscriptionLinkKey('the-secret-key-of-this-test');
const NOW = Date.parse('2026-03-10T12:00:00Z');

describe('subscription links', () => {
  it('opens a link for its subscriber and purpose only', () => {
    const manage = signSubscriptionLink(key, 'manage', 42);
    assert.equal(openSubscriptionLink(key, 'manage', manage, NOW), 42);
    assert.equal(openSubscriptionLink(key, 'unsubscribe', manage, NOW), undefined, 'another purpose');
    assert.equal(openSubscriptionLink(subscriptionLinkKey('another-secret'), 'manage', manage, NOW), undefined, 'another key');
    assert.equal(openSubscriptionLink(key, 'manage', manage.replace(/^42/, '43'), NOW), undefined, 'another subscriber');
    for (const broken of ['', '42', '42.', '.sig', 'x'.repeat(300), `0.${manage.split('.')[1]}`]) assert.equal(openSubscriptionLink(key, 'manage', broken, NOW), undefined, broken);
  });

  it('lets a confirmation link work until it expires', () => {
    const confirm = signSubscriptionLink(key, 'confirm', 7, NOW + CONFIRMATION_LIFETIME_MS);
    assert.equal(openSubscriptionLink(key, 'confirm', confirm, NOW + CONFIRMATION_LIFETIME_MS - 1), 7);
    assert.equal(openSubscriptionLink(key, 'confirm', confirm, NOW + CONFIRMATION_LIFETIME_MS), undefined);
    assert.equal(openSubscriptionLink(key, 'confirm', signSubscriptionLink(key, 'manage', 7), NOW), undefined, 'a link without an expiry is no confirmation');
    const stretched = confirm.replace(String(NOW + CONFIRMATION_LIFETIME_MS), String(NOW + 10 * CONFIRMATION_LIFETIME_MS));
    assert.equal(openSubscriptionLink(key, 'confirm', stretched, NOW + 2 * CONFIRMATION_LIFETIME_MS), undefined, 'the expiry is signed');
  });
});
