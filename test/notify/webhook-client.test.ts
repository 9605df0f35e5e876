// Issue 18, no server-side request forgery: which addresses a webhook may not reach, however they
// are spelled, and what is refused when a webhook is saved. And the connections: kept open between
// deliveries, a kept one the receiver closed is no failed delivery, and a kept one never takes a
// request to a private address that was not allowed.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { isPrivateAddress, postWebhook, webhookTargetProblem, type ResolveHost, type WebhookRequest } from '../../src/notify/webhook-client.js';

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

/** A receiver on loopback that counts connections and requests, each request answered by `handle`. */
async function countingReceiver(t: TestContext, handle: (request: IncomingMessage, response: ServerResponse, nth: number) => void) {
  const seen = { connections: 0, requests: 0 };
  const perConnection = new WeakMap<Socket, number>();
  const server = createServer((request, response) => {
    seen.requests++;
    const nth = (perConnection.get(request.socket) ?? 0) + 1;
    perConnection.set(request.socket, nth);
    request.resume();
    request.on('end', () => handle(request, response, nth));
  });
  server.on('connection', () => seen.connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { port: (server.address() as { port: number }).port, seen };
}

const delivery = (url: string, id: string, allowPrivate = true): WebhookRequest => ({ url, body: `{"id":"${id}"}`, secret: 'whsec_test', deliveryId: id, now: Date.now(), timeoutMs: 2_000, allowPrivate });

describe('webhook connections', () => {
  it('keeps a connection open for the next delivery to the same receiver', async (t) => {
    const { port, seen } = await countingReceiver(t, (_request, response) => response.end('ok'));
    for (let index = 0; index < 5; index++) assert.deepEqual(await postWebhook(delivery(`http://127.0.0.1:${port}/hook/${index}`, `delivery-${index}`)), { ok: true, status: 200 });
    assert.deepEqual(seen, { connections: 1, requests: 5 });
  });

  it('sends again, on a new connection, a delivery whose kept connection the receiver closed', async (t) => {
    // Each connection serves one request; the next one on it is cut off unanswered, as a receiver
    // whose idle timeout ended the connection while the request was on its way.
    const { port, seen } = await countingReceiver(t, (request, response, nth) => (nth === 1 ? response.end('ok') : request.socket.destroy()));
    const url = `http://127.0.0.1:${port}/hook`;
    assert.deepEqual(await postWebhook(delivery(url, 'delivery-1')), { ok: true, status: 200 });
    assert.deepEqual(await postWebhook(delivery(url, 'delivery-2')), { ok: true, status: 200 });
    assert.deepEqual(seen, { connections: 2, requests: 3 });
  });

  it('fails a delivery whose new connection is cut off: only a kept connection is tried again', async (t) => {
    const { port, seen } = await countingReceiver(t, (request) => request.socket.destroy());
    const outcome = await postWebhook(delivery(`http://127.0.0.1:${port}/hook`, 'delivery-1'));
    assert.deepEqual(outcome, { ok: false, error: 'socket hang up', final: false });
    assert.deepEqual(seen, { connections: 1, requests: 1 });
  });

  it('refuses a private address that is no longer allowed, even with a connection to it kept open', async (t) => {
    const { port, seen } = await countingReceiver(t, (_request, response) => response.end('ok'));
    const url = `http://localhost:${port}/hook`;
    assert.deepEqual(await postWebhook(delivery(url, 'delivery-1', true)), { ok: true, status: 200 });
    const refused = await postWebhook(delivery(url, 'delivery-2', false));
    assert.deepEqual(refused, { ok: false, error: 'localhost resolves only to private addresses (SD_WEBHOOK_ALLOW_PRIVATE is off)', final: true });
    assert.deepEqual(seen, { connections: 1, requests: 1 });
  });
});
