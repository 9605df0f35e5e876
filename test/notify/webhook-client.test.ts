// Issue 18, no server-side request forgery: which addresses a webhook may not reach, however they
// are spelled, and what is refused when a webhook is saved.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPrivateAddress, webhookTargetProblem, type ResolveHost } from '../../src/notify/webhook-client.js';

const hostOf = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, '');

describe('webhook targets', () => {
  it('counts loopback, private, link-local and the like as private, however a URL spells them', () => {
    const refused = [
      'http://127.0.0.1/',
      'http://127.1/',
      'http://2130706433/',
      'http://0x7f.0.0.1/',
      'http://0.0.0.0/',
      'http://10.0.0.1/',
      'http://172.16.5.4/',
      'http://192.168.1.1/',
      'http://169.254.169.254/',
      'http://100.64.0.1/',
      'http://198.18.0.1/',
      'http://[::1]/',
      'http://[::]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[::127.0.0.1]/',
      'http://[64:ff9b::a00:1]/',
      'http://[2002:c0a8:101::1]/',
      'http://[fe80::1]/',
      'http://[fd12:3456::1]/',
      'http://[ff02::1]/',
    ];
    for (const url of refused) assert.equal(isPrivateAddress(hostOf(url)), true, url);
    for (const url of ['http://93.184.215.14/', 'http://[2a00:1450:4001:80b::200e]/', 'http://[::ffff:93.184.215.14]/', 'http://[64:ff9b::5db8:d70e]/', 'http://[2002:5db8:d70e::1]/']) {
      assert.equal(isPrivateAddress(hostOf(url)), false, url);
    }
    assert.equal(isPrivateAddress('example.com'), true, 'a name is no address');
  });

  it('refuses at creation what leads only to private addresses, unless allowed, and names that do not resolve', async () => {
    const dns: Record<string, string[]> = { 'hooks.example.com': ['93.184.215.14'], 'internal.example.com': ['10.1.2.3', 'fd00::3'], 'both.example.com': ['10.1.2.3', '93.184.215.14'] };
    const resolve: ResolveHost = async (host) => {
      const addresses = dns[host];
      if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return addresses;
    };
    assert.equal(await webhookTargetProblem('https://hooks.example.com/in?token=abc', false, resolve), undefined);
    assert.equal(await webhookTargetProblem('https://both.example.com/in', false, resolve), undefined, 'the connection uses the public one (guardedLookup)');
    assert.equal(
      await webhookTargetProblem('https://internal.example.com/in', false, resolve),
      'internal.example.com resolves only to loopback, private or link-local addresses (10.1.2.3, fd00::3): webhooks may not reach loopback, private or link-local addresses unless SD_WEBHOOK_ALLOW_PRIVATE is set',
    );
    assert.equal(await webhookTargetProblem('https://internal.example.com/in', true, resolve), undefined);
    assert.equal(await webhookTargetProblem('https://gone.example.com/in', true, resolve), 'gone.example.com does not resolve (ENOTFOUND)');
    assert.equal(
      await webhookTargetProblem('http://[::1]:8080/in', false, resolve),
      '::1 is a loopback, private or link-local address: webhooks may not reach loopback, private or link-local addresses unless SD_WEBHOOK_ALLOW_PRIVATE is set',
    );
    assert.equal(await webhookTargetProblem('http://[::1]:8080/in', true, resolve), undefined);
    assert.equal(await webhookTargetProblem('mailto:ops@example.com', true, resolve), 'only http:// and https:// URLs');
  });
});
