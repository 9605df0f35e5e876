// The React front end's login (reference v3 §5) against a real OpenID Connect provider started
// here (oauth2-mock-server logs in by itself).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { oidcProvider } from '../../src/auth/oidc-login.js';
import { buildTestApp } from '../helpers/app.js';
import { TEST_DIALECT } from '../helpers/database.js';
import { startOidcProvider } from '../helpers/oidc-provider.js';

const CLIENT_SECRET = 'the-client-secret-of-the-status-dashboard';

async function setUp(t: Parameters<typeof buildTestApp>[0], lines?: string[]) {
  const { issuer, server } = await startOidcProvider(t);
  const api = await buildTestApp(t, {
    publicUrl: 'https://status.example.org',
    login: oidcProvider({ issuer, clientId: 'status-dashboard', clientSecret: CLIENT_SECRET, allowHttp: true }),
    ...(lines ? { logStream: { write: (line: string) => lines.push(line) } } : {}),
  });
  return { api, server };
}

/** Through the provider and back: the callback URL with the code the provider issued. */
async function callbackFromProvider(api: Awaited<ReturnType<typeof setUp>>['api']): Promise<URL> {
  const login = await api.app.inject({ method: 'GET', url: `/auth/login?state=${encodeURIComponent(state)}` });
  const back = await fetch(new URL(String(login.headers.location)), { redirect: 'manual' });
  return new URL(String(back.headers.get('location')));
}

const verifier = 'a-long-random-code-verifier-from-the-front-end-0123456789';
const state = Buffer.from(
  JSON.stringify({ callback_url: 'https://front.example.org/callback', code_challenge: createHash('sha256').update(verifier).digest('hex') }),
).toString('base64');

describe(`${TEST_DIALECT}: /auth login for the React front end`, () => {
  it('logs in through the provider and hands the tokens over once to the code verifier', async (t) => {
    const { api } = await setUp(t);
    const login = await api.app.inject({ method: 'GET', url: `/auth/login?state=${encodeURIComponent(state)}` });
    assert.equal(login.statusCode, 303);
    const authorize = new URL(String(login.headers.location));
    assert.equal(authorize.searchParams.get('redirect_uri'), 'https://status.example.org/auth/callback');
    assert.equal(authorize.searchParams.get('state'), state);

    // The provider logs the browser in and sends it back with a code.
    const back = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(String(back.headers.get('location')));
    assert.equal(callback.pathname, '/auth/callback');
    const landed = await api.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}` });
    assert.equal(landed.statusCode, 303);
    assert.equal(landed.headers.location, 'https://front.example.org/callback');

    const token = await api.app.inject({ method: 'POST', url: '/auth/token', payload: { code_verifier: verifier } });
    assert.equal(token.statusCode, 200, token.body);
    const tokens = token.json<{ access_token: string; refresh_token?: string }>();
    assert.equal(tokens.access_token.split('.').length, 3);
    assert.deepEqual((await api.app.inject({ method: 'POST', url: '/auth/token', payload: { code_verifier: verifier } })).json(), { errMsg: 'missing data for code verifier' });

    assert.ok(tokens.refresh_token);
    const refreshed = await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: tokens.refresh_token } });
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    assert.ok(refreshed.json<{ access_token: string }>().access_token);
    const logout = await api.app.inject({ method: 'PUT', url: '/auth/logout', payload: { refresh_token: tokens.refresh_token } });
    assert.equal(logout.statusCode, 204, logout.body);
  });

  it('refuses a login without state or with a broken one, and unknown verifiers', async (t) => {
    const { api } = await setUp(t);
    assert.deepEqual((await api.app.inject({ method: 'GET', url: '/auth/login' })).json(), { errMsg: 'state is not present in the query parameters' });
    const javascript = Buffer.from(JSON.stringify({ callback_url: 'javascript:alert(1)', code_challenge: 'x' })).toString('base64');
    for (const broken of ['not-base64-json', javascript]) {
      assert.deepEqual((await api.app.inject({ method: 'GET', url: `/auth/login?state=${encodeURIComponent(broken)}` })).json(), { errMsg: 'state is invalid' });
    }
    assert.deepEqual((await api.app.inject({ method: 'POST', url: '/auth/token', payload: {} })).json(), { errMsg: 'failed to extract code verifier' });
    assert.deepEqual((await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: {} })).json(), { errMsg: 'refresh token is missing' });
    const preflight = await api.app.inject({ method: 'OPTIONS', url: '/auth/token', headers: { origin: 'https://front.example.org', 'access-control-request-method': 'POST' } });
    assert.ok(preflight.statusCode < 300);
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
  });

  it('keeps the client secret, the codes and the tokens out of the log', async (t) => {
    const lines: string[] = [];
    const { api, server } = await setUp(t, lines);
    const issued: string[] = [];
    let refuse = false;
    server.service.on('beforeResponse', (response: { body: Record<string, unknown>; statusCode: number }) => {
      for (const key of ['access_token', 'id_token', 'refresh_token']) if (typeof response.body[key] === 'string') issued.push(response.body[key]);
      if (refuse) Object.assign(response, { statusCode: 400, body: { error: 'invalid_grant', error_description: 'refused by the test' } });
    });
    server.service.on('beforeRevoke', (response: { statusCode: number }) => {
      if (refuse) response.statusCode = 503;
    });
    const callback = await callbackFromProvider(api);
    const callbackPath = `${callback.pathname}${callback.search}`;
    assert.equal((await api.app.inject({ method: 'GET', url: callbackPath })).headers.location, 'https://front.example.org/callback');
    const tokens = (await api.app.inject({ method: 'POST', url: '/auth/token', payload: { code_verifier: verifier } })).json<{ refresh_token: string }>();
    assert.equal((await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: tokens.refresh_token } })).statusCode, 200);
    // Refused by the provider: openid-client's errors hold what was sent, the code included.
    refuse = true;
    const refused = await callbackFromProvider(api);
    assert.equal((await api.app.inject({ method: 'GET', url: `${refused.pathname}${refused.search}` })).headers.location, 'https://front.example.org/callback?error=login+failed');
    assert.equal((await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: tokens.refresh_token } })).statusCode, 400);
    assert.equal((await api.app.inject({ method: 'PUT', url: '/auth/logout', payload: { refresh_token: tokens.refresh_token } })).statusCode, 400);

    const log = lines.join('');
    assert.match(log, /"url":"\/auth\/callback"/);
    assert.match(log, /login failed/);
    assert.match(log, /refresh refused/);
    assert.match(log, /logout refused/);
    assert.ok(issued.length >= 6, 'tokens of the login and of the refresh');
    const secrets = [CLIENT_SECRET, callback.searchParams.get('code') ?? '', refused.searchParams.get('code') ?? '', ...issued];
    for (const secret of secrets) {
      assert.ok(secret.length > 8);
      assert.ok(!log.includes(secret), `leaked ${secret.slice(0, 8)}…`);
    }
  });

  it('is not served without a provider', async (t) => {
    const api = await buildTestApp(t);
    assert.equal((await api.app.inject({ method: 'GET', url: '/auth/login?state=x' })).statusCode, 404);
  });
});
