// Security headers on everything a browser can land on: pages, redirects, refusals; HSTS behind HTTPS.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { PAGE_SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY } from '../../src/http/plugins/security-headers.js';
import { buildTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { logInOperator } from '../helpers/operator.js';

function assertPageHeaders(response: LightMyRequestResponse, what: string): void {
  for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) assert.equal(response.headers[name], value, `${what}: ${name}`);
  assert.match(PAGE_SECURITY_HEADERS['content-security-policy'], /frame-ancestors 'none'/);
  assert.doesNotMatch(PAGE_SECURITY_HEADERS['content-security-policy'], /unsafe-inline/);
}

describeEachDatabase('security headers', () => {
  it('on pages, public and private, found or not', async (t) => {
    const { app } = await buildTestApp(t);
    for (const url of ['/', '/history', '/login', '/incidents/999']) {
      const response = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      assert.match(String(response.headers['content-type']), /^text\/html/, url);
      assertPageHeaders(response, url);
      assert.equal(response.headers['strict-transport-security'], undefined, `${url}: plain HTTP, no HTTPS public URL`);
    }
  });

  it('on redirects: POST /logout without a session is a 303', async (t) => {
    const { app } = await buildTestApp(t);
    const response = await app.inject({ method: 'POST', url: '/logout', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/');
    assertPageHeaders(response, 'POST /logout');
  });

  it('on refusals: the 401 of GET /incidents and the 403 of a forged logout', async (t) => {
    const api = await buildTestApp(t);
    const unauthorized = await api.app.inject({ method: 'GET', url: '/incidents' });
    assert.equal(unauthorized.statusCode, 401);
    assert.equal(unauthorized.body, '{"message":"Invalid token!"}');
    assertPageHeaders(unauthorized, 'GET /incidents');
    const operator = await logInOperator(api);
    const forbidden = await operator.post('/logout', { csrf: 'forged' });
    assert.equal(forbidden.statusCode, 403);
    assertPageHeaders(forbidden, 'forged logout');
  });

  it('leaves JSON, feeds and badges their own kind: nosniff, no page policy, the badge keeps its own', async (t) => {
    const { app } = await buildTestApp(t);
    for (const url of ['/api/v1/component_status', '/api/v2/components', '/feeds/atom.xml']) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(response.headers['content-security-policy'], undefined, url);
    }
    const badge = await app.inject({ method: 'GET', url: '/badge.svg' });
    assert.equal(badge.headers['content-type'], 'image/svg+xml; charset=utf-8');
    assert.equal(badge.headers['content-security-policy'], "default-src 'none'");
    // The pages may show it: an image of our own origin.
    assert.match(PAGE_SECURITY_HEADERS['content-security-policy'], /img-src 'self'/);
    const docs = await app.inject({ method: 'GET', url: '/api/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.notEqual(docs.headers['content-security-policy'], PAGE_SECURITY_HEADERS['content-security-policy'], 'the API docs keep the policy their script needs');
  });

  it('keep the CORS of API v2 working', async (t) => {
    const { app } = await buildTestApp(t);
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v2/components',
      headers: { origin: 'https://status.example.org', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    assert.ok(preflight.statusCode >= 200 && preflight.statusCode < 300, String(preflight.statusCode));
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    const read = await app.inject({ method: 'GET', url: '/api/v2/components', headers: { origin: 'https://status.example.org' } });
    assert.equal(read.headers['access-control-allow-origin'], '*');
  });

  it('add HSTS to every answer when the public URL is https, and only then', async (t) => {
    const secure = await buildTestApp(t, { publicUrl: 'https://status.example.com' });
    for (const [method, url] of [
      ['GET', '/'],
      ['POST', '/logout'],
      ['GET', '/incidents'],
      ['GET', '/api/v2/components'],
    ] as const) {
      const response = await secure.app.inject({ method, url });
      assert.equal(response.headers['strict-transport-security'], STRICT_TRANSPORT_SECURITY, `${method} ${url}`);
    }
    assert.equal(STRICT_TRANSPORT_SECURITY, 'max-age=31536000; includeSubDomains');
    const plain = await buildTestApp(t, { publicUrl: 'http://status.example.com' });
    const response = await plain.app.inject({ method: 'GET', url: '/' });
    assert.equal(response.headers['strict-transport-security'], undefined);
  });
});
