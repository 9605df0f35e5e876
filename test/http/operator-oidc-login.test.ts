// Operators' single sign-on on the pages (spec §5, reference v1 §3.2) against a real OpenID
// Connect provider started here (oauth2-mock-server logs in by itself).
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { oidcProvider } from '../../src/auth/oidc-login.js';
import { buildTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { startOidcProvider } from '../helpers/oidc-provider.js';
import { asOperator, cookieOf, logOutWithForm, type ResponseCookie } from '../helpers/login-form.js';
import { logInOperator } from '../helpers/operator.js';
import type { RoleGroups } from '../../src/domain/roles.js';

const PUBLIC_URL = 'https://status.example.org';
const CLIENT_SECRET = 'the-client-secret-nobody-may-see';
const ALICE = { sub: 'f1a2b3c4-alice', preferred_username: 'alice', groups: ['/status-dashboard'] };

function assertCleared(cookie: ResponseCookie | undefined): void {
  assert.equal(cookie?.value, '');
  assert.ok(cookie?.maxAge === 0 || cookie?.expires?.getTime() === 0);
}

interface Setup {
  /** claims of the ID token (and the access token) */
  claims?: Record<string, unknown>;
  /** what the userinfo endpoint answers (default: the sub only, as the mock does) */
  userinfo?: Record<string, unknown>;
  roleGroups?: RoleGroups;
  lines?: string[];
}

async function setUp(t: TestContext, { claims = ALICE, userinfo, roleGroups, lines }: Setup = {}) {
  const { server, issuer } = await startOidcProvider(t);
  server.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => Object.assign(token.payload, claims));
  server.service.on('beforeUserinfo', (response: { body: Record<string, unknown> }) => {
    response.body = { sub: claims.sub, ...userinfo };
  });
  const provider = oidcProvider({ issuer, clientId: 'status-dashboard', clientSecret: CLIENT_SECRET, allowHttp: true });
  const test = await buildTestApp(t, {
    publicUrl: PUBLIC_URL,
    login: provider,
    roleGroups,
    ...(lines ? { logStream: { write: (line: string) => lines.push(line) } } : {}),
  });
  return { ...test, server, issuer, provider };
}

/** GET /login/oidc: where the browser goes, and the login cookie it keeps meanwhile. */
async function startLogin(app: FastifyInstance): Promise<{ authorize: URL; loginCookie: ResponseCookie }> {
  const response = await app.inject({ method: 'GET', url: '/login/oidc' });
  assert.equal(response.statusCode, 303, response.body);
  const loginCookie = cookieOf(response, 'sd_oidc_login');
  assert.ok(loginCookie?.value);
  return { authorize: new URL(String(response.headers.location)), loginCookie };
}

/** The provider logs the browser in and sends it back to the callback with a code. */
async function atProvider(authorize: URL): Promise<URL> {
  const back = await fetch(authorize, { redirect: 'manual' });
  assert.equal(back.status, 302);
  const callback = new URL(String(back.headers.get('location')));
  assert.equal(`${callback.origin}${callback.pathname}`, `${PUBLIC_URL}/login/oidc/callback`);
  return callback;
}

function callBack(app: FastifyInstance, callback: URL, loginCookie?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, headers: loginCookie ? { cookie: `sd_oidc_login=${loginCookie}` } : {} });
}

/** The whole login; returns the callback's answer and the code the provider gave. */
async function logIn(app: FastifyInstance): Promise<{ response: LightMyRequestResponse; code: string; loginCookie: string }> {
  const { authorize, loginCookie } = await startLogin(app);
  const callback = await atProvider(authorize);
  return { response: await callBack(app, callback, loginCookie.value), code: callback.searchParams.get('code') ?? '', loginCookie: loginCookie.value };
}

async function sessionOf(app: FastifyInstance): Promise<string> {
  const { response } = await logIn(app);
  assert.equal(response.statusCode, 303, response.body);
  const session = cookieOf(response, 'sd_session');
  assert.ok(session?.value);
  return session.value;
}

describeEachDatabase('operator single sign-on', () => {
  it('offers single sign-on on /login only when a provider is configured', async (t) => {
    const { app } = await setUp(t);
    const page = await app.inject({ method: 'GET', url: '/login' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<a href="\/login\/oidc">Sign in with single sign-on<\/a>/);
    assert.match(page.body, /<form class="login-form" method="post" action="\/login"/, 'the local form stays');
    assert.ok(page.body.indexOf('/login/oidc') < page.body.indexOf('action="/login"'), 'single sign-on comes first');

    const without = await buildTestApp(t);
    const plain = await without.app.inject({ method: 'GET', url: '/login' });
    assert.doesNotMatch(plain.body, /single sign-on/);
    assert.equal((await without.app.inject({ method: 'GET', url: '/login/oidc' })).statusCode, 404);
  });

  it('logs in with authorization code + PKCE S256 + state + nonce: session cookie, 303 to /, "Logged in as"', async (t) => {
    const { app, issuer } = await setUp(t, { roleGroups: { admins: '/status-dashboard' } });
    const { authorize, loginCookie } = await startLogin(app);
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${issuer}/authorize`);
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    assert.equal(authorize.searchParams.get('client_id'), 'status-dashboard');
    assert.equal(authorize.searchParams.get('redirect_uri'), `${PUBLIC_URL}/login/oidc/callback`);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.match(authorize.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.ok(authorize.searchParams.get('state'));
    assert.ok(authorize.searchParams.get('nonce'));
    assert.match(authorize.searchParams.get('scope') ?? '', /\bopenid\b/);
    assert.ok(loginCookie.httpOnly);
    assert.equal(loginCookie.sameSite, 'Lax');
    assert.equal(loginCookie.path, '/login/oidc/callback');
    assert.equal(loginCookie.maxAge, 600);
    assert.equal(loginCookie.secure, true);
    for (const secret of [authorize.searchParams.get('state') ?? '', authorize.searchParams.get('nonce') ?? '']) assert.ok(!loginCookie.value.includes(secret));

    const landed = await callBack(app, await atProvider(authorize), loginCookie.value);
    assert.equal(landed.statusCode, 303, landed.body);
    assert.equal(landed.headers.location, '/');
    assert.equal(landed.headers['cache-control'], 'private, no-store');
    const session = cookieOf(landed, 'sd_session');
    assert.ok(session?.httpOnly);
    assert.equal(session?.sameSite, 'Lax');
    assert.equal(session?.path, '/');
    assert.equal(session?.maxAge, 12 * 3600);
    assert.ok(!session?.value.includes('alice'));
    assertCleared(cookieOf(landed, 'sd_oidc_login'));

    const home = await app.inject({ method: 'GET', url: '/', headers: asOperator(session?.value ?? '') });
    assert.match(home.body, /Logged in as alice/);
    assert.equal((await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session?.value ?? '') })).statusCode, 200);
    const again = await app.inject({ method: 'GET', url: '/login/oidc', headers: asOperator(session?.value ?? '') });
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, '/', 'logged in already: no new login');
  });

  it('accepts a required group named without the leading slash of Keycloak paths', async (t) => {
    const { app } = await setUp(t, { roleGroups: { admins: 'status-dashboard' } });
    const session = await sessionOf(app);
    assert.equal((await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session) })).statusCode, 200);
  });

  it('names the operator by preferred_username, else name, else email, else sub', async (t) => {
    const { app } = await setUp(t, { claims: { sub: 'only-a-sub', name: 'Alice Liddell', email: 'alice@example.org' } });
    const session = await sessionOf(app);
    assert.match((await app.inject({ method: 'GET', url: '/', headers: asOperator(session) })).body, /Logged in as Alice Liddell/);
  });

  it('refuses a login without the required group: 403, the reason on the page (escaped), no session', async (t) => {
    const { app } = await setUp(t, { roleGroups: { admins: '/status-dashboard' }, claims: { sub: 'eve-1', preferred_username: '<b>eve</b>', groups: ['/other'] } });
    const { response } = await logIn(app);
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /role="alert"[^>]*>Not logging in user &lt;b>eve&lt;\/b> due to lack of required groups</);
    assert.doesNotMatch(response.body, /<b>eve/);
    assert.equal(cookieOf(response, 'sd_session'), undefined);
    assertCleared(cookieOf(response, 'sd_oidc_login'));
  });

  it('refuses a login with no groups anywhere, and reads them from userinfo when the ID token has none', async (t) => {
    const lacking = await setUp(t, { roleGroups: { admins: '/status-dashboard' }, claims: { sub: 'bob-1', preferred_username: 'bob' } });
    const refused = (await logIn(lacking.app)).response;
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /Not logging in user bob due to lack of required groups/);
    assert.equal(cookieOf(refused, 'sd_session'), undefined);

    const fromUserinfo = await setUp(t, { roleGroups: { admins: '/status-dashboard' }, claims: { sub: 'carol-1', preferred_username: 'carol' }, userinfo: { groups: ['/status-dashboard'] } });
    const session = await sessionOf(fromUserinfo.app);
    assert.equal((await fromUserinfo.app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session) })).statusCode, 200);
  });

  it('fails with 400 and no session on a state mismatch, a missing login cookie or an error from the provider', async (t) => {
    const { app } = await setUp(t);
    const first = await startLogin(app);
    const second = await startLogin(app);
    const callback = await atProvider(first.authorize);
    const failures = [
      await callBack(app, callback, second.loginCookie.value),
      await callBack(app, callback),
      await callBack(app, callback, `${first.loginCookie.value.slice(0, -4)}AAAA`),
      await callBack(app, new URL(`${PUBLIC_URL}/login/oidc/callback?error=access_denied&state=${first.authorize.searchParams.get('state')}`), first.loginCookie.value),
    ];
    for (const response of failures) {
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /role="alert"[^>]*>The single sign-on login failed\. Please try again\./);
      assert.match(response.body, /<a href="\/login\/oidc">Sign in with single sign-on<\/a>/);
      assert.equal(cookieOf(response, 'sd_session'), undefined);
    }
  });

  it('never takes a login cookie for a session', async (t) => {
    const { app } = await setUp(t);
    const { loginCookie } = await startLogin(app);
    const response = await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(loginCookie.value) });
    assert.equal(response.statusCode, 401);
  });

  it('treats a tampered session cookie as anonymous: /incidents 401 "Invalid token!"', async (t) => {
    const { app } = await setUp(t);
    const session = await sessionOf(app);
    const at = Math.floor(session.length / 2);
    const tampered = `${session.slice(0, at)}${session[at] === 'A' ? 'B' : 'A'}${session.slice(at + 1)}`;
    const page = await app.inject({ method: 'GET', url: '/', headers: asOperator(tampered) });
    assert.doesNotMatch(page.body, /Logged in as/);
    const gate = await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(tampered) });
    assert.equal(gate.statusCode, 401);
    assert.equal(gate.body, '{"message":"Invalid token!"}');
  });

  it('logs out here and at the provider: the cookie goes, the browser ends the session there and comes back', async (t) => {
    const { app, issuer } = await setUp(t);
    const home = await app.inject({ method: 'GET', url: '/' });
    assert.match(String(home.headers['content-security-policy']), new RegExp(`form-action 'self' ${new URL(issuer).origin};`), 'a browser may follow the logout form to the provider');
    const session = await sessionOf(app);
    const out = await logOutWithForm(app, session);
    assert.equal(out.statusCode, 303);
    assertCleared(cookieOf(out, 'sd_session'));
    assert.equal((await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session) })).statusCode, 401, 'the cookie, replayed, is no session');
    const endSession = new URL(String(out.headers.location));
    assert.equal(`${endSession.origin}${endSession.pathname}`, `${issuer}/endsession`);
    assert.equal(endSession.searchParams.get('client_id'), 'status-dashboard');
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${PUBLIC_URL}/`);
    const back = await fetch(endSession, { redirect: 'manual' });
    assert.equal(back.status, 302);
    assert.equal(back.headers.get('location'), `${PUBLIC_URL}/`);
    const gate = await app.inject({ method: 'GET', url: '/incidents' });
    assert.equal(gate.statusCode, 401);
    assert.equal(gate.body, '{"message":"Invalid token!"}');
  });

  it('still logs out when the provider cannot be reached, and says why in the log only', async (t) => {
    const lines: string[] = [];
    const { app, store } = await setUp(t, { lines });
    const session = await sessionOf(app);
    // Another instance on the same database, whose provider is down.
    const broken = await buildTestApp(t, { store, publicUrl: PUBLIC_URL, login: oidcProvider({ issuer: 'http://127.0.0.1:9/', clientId: 'status-dashboard', allowHttp: true }), logStream: { write: (line: string) => lines.push(line) } });
    const out = await logOutWithForm(broken.app, session);
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/');
    assertCleared(cookieOf(out, 'sd_session'));
    assert.ok(lines.some((line) => line.includes('single sign-on logout: the provider cannot be reached')));
  });

  it('sends a local operator home at logout, not to the provider', async (t) => {
    const test = await setUp(t);
    const operator = await logInOperator(test);
    const out = await operator.post('/logout', {});
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/');
  });

  it('answers 401 "Invalid User privileges!" when the required group changed since the login', async (t) => {
    const before = await setUp(t, { roleGroups: { admins: '/status-dashboard' } });
    const session = await sessionOf(before.app);
    // Another instance on the same database: as if SD_OIDC_REQUIRED_GROUP had changed and the dashboard restarted.
    const changed = await buildTestApp(t, { store: before.store, publicUrl: PUBLIC_URL, login: before.provider, roleGroups: { admins: '/ops' } });
    const gate = await changed.app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session) });
    assert.equal(gate.statusCode, 401);
    assert.equal(gate.body, '{"message":"Invalid User privileges!"}');
    assert.doesNotMatch((await changed.app.inject({ method: 'GET', url: '/', headers: asOperator(session) })).body, /Logged in as/);
    const sameGroup = await buildTestApp(t, { store: before.store, publicUrl: PUBLIC_URL, login: before.provider, roleGroups: { admins: 'status-dashboard' } });
    assert.equal((await sameGroup.app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session) })).statusCode, 200);

    const unchecked = await setUp(t, { claims: { ...ALICE, groups: [] } });
    const uncheckedSession = await sessionOf(unchecked.app);
    const nowRequired = await buildTestApp(t, { store: unchecked.store, publicUrl: PUBLIC_URL, login: unchecked.provider, roleGroups: { admins: '/status-dashboard' } });
    assert.equal((await nowRequired.app.inject({ method: 'GET', url: '/incidents', headers: asOperator(uncheckedSession) })).body, '{"message":"Invalid User privileges!"}');
  });

  it('gives a single sign-on session the highest role of its groups, and no session to someone in none (issue 17)', async (t) => {
    const roleGroups = { admins: '/sd_admins', operators: '/sd_operators', creators: '/sd_creators' };
    const creator = await setUp(t, { roleGroups, claims: { ...ALICE, groups: ['/sd_creators'] } });
    const creatorSession = await sessionOf(creator.app);
    assert.equal((await creator.app.inject({ method: 'GET', url: '/incidents', headers: asOperator(creatorSession) })).statusCode, 200, 'a creator proposes');
    assert.equal((await creator.app.inject({ method: 'GET', url: '/audit', headers: asOperator(creatorSession) })).statusCode, 403, 'the audit log is the operators’');

    const operator = await setUp(t, { roleGroups, claims: { ...ALICE, groups: ['/sd_creators', 'sd_operators'] } });
    const operatorSession = await sessionOf(operator.app);
    assert.equal((await operator.app.inject({ method: 'GET', url: '/audit', headers: asOperator(operatorSession) })).statusCode, 200);

    const reader = await setUp(t, { roleGroups, claims: { ...ALICE, groups: ['/sd_readers'] } });
    const { response } = await logIn(reader.app);
    assert.equal(response.statusCode, 403);
    assert.equal(cookieOf(response, 'sd_session'), undefined);
  });

  it('keeps the client secret, the code, the tokens and the cookies out of the log', async (t) => {
    const lines: string[] = [];
    const { app, server } = await setUp(t, { roleGroups: { admins: '/status-dashboard' }, lines });
    const tokens: string[] = [];
    server.service.on('beforeResponse', (response: { body: Record<string, unknown> }) => {
      for (const key of ['access_token', 'id_token', 'refresh_token']) if (typeof response.body[key] === 'string') tokens.push(response.body[key]);
    });
    const { response, code, loginCookie } = await logIn(app);
    assert.equal(response.statusCode, 303);
    const session = cookieOf(response, 'sd_session')?.value ?? '';
    const failed = await startLogin(app);
    const failedCallback = await atProvider(failed.authorize);
    // A state mismatch: the error openid-client throws holds the callback's parameters, code included.
    assert.equal((await callBack(app, failedCallback, loginCookie)).statusCode, 400);

    const log = lines.join('');
    assert.match(log, /operator logged in/);
    assert.match(log, /single sign-on login failed/);
    assert.match(log, /\/login\/oidc\/callback/);
    assert.equal(tokens.length, 3);
    const secrets = [CLIENT_SECRET, code, failedCallback.searchParams.get('code') ?? '', ...tokens, session, loginCookie, failed.loginCookie.value];
    for (const secret of secrets) {
      assert.ok(secret.length > 8);
      assert.ok(!log.includes(secret), `leaked ${secret.slice(0, 8)}…`);
    }
  });
});
