// The React front end's login (reference v3 §5) against a real OpenID Connect provider started
// here (oauth2-mock-server logs in by itself).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { atProvider, CLIENT_SECRET, FRONT_END, FRONT_END_CALLBACK, frontEndLogin, PUBLIC_URL, startFrontEndApp, TestBrowser } from '../helpers/front-end.js';
import { cookieOf } from '../helpers/login-form.js';

const USER = '203.0.113.7';

describeEachDatabase('/auth login for the React front end', () => {
  it('logs in with its own state and PKCE at the provider, and hands the tokens over once to the code verifier', async (t) => {
    const { api } = await startFrontEndApp(t);
    const browser = new TestBrowser(api.app, USER);
    const { verifier, state, loginUrl } = frontEndLogin();
    const login = await browser.get(loginUrl);
    assert.equal(login.statusCode, 303);
    const authorize = new URL(String(login.headers.location));
    assert.equal(authorize.searchParams.get('redirect_uri'), `${PUBLIC_URL}/auth/callback`);
    assert.ok(authorize.searchParams.get('state'));
    assert.notEqual(authorize.searchParams.get('state'), state, 'our own state, not the front end’s');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.match(authorize.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    const cookie = cookieOf(login, 'sd_auth_login');
    assert.ok(cookie?.httpOnly);
    assert.equal(cookie?.sameSite, 'Lax');
    assert.equal(cookie?.path, '/auth/callback');
    assert.equal(cookie?.maxAge, 600);
    assert.equal(cookie?.secure, true, 'the public URL is https');

    const landed = await browser.get(await atProvider(authorize.href));
    assert.equal(landed.statusCode, 303, landed.body);
    assert.equal(landed.headers.location, FRONT_END_CALLBACK);
    assert.equal(cookieOf(landed, 'sd_auth_login')?.value, '', 'one callback per login');

    const token = await browser.claimTokens(verifier);
    assert.equal(token.statusCode, 200, token.body);
    const tokens = token.json<{ access_token: string; refresh_token?: string }>();
    assert.equal(tokens.access_token.split('.').length, 3);
    assert.deepEqual((await browser.claimTokens(verifier)).json(), { errMsg: 'missing data for code verifier' });

    assert.ok(tokens.refresh_token);
    const refreshed = await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: tokens.refresh_token } });
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    assert.ok(refreshed.json<{ access_token: string }>().access_token);
    const logout = await api.app.inject({ method: 'PUT', url: '/auth/logout', payload: { refresh_token: tokens.refresh_token } });
    assert.equal(logout.statusCode, 204, logout.body);
  });

  it('refuses a login without state, with a broken one or a callback not on SD_AUTH_CALLBACK_URLS, and unknown verifiers', async (t) => {
    const { api } = await startFrontEndApp(t);
    assert.deepEqual((await api.app.inject({ method: 'GET', url: '/auth/login' })).json(), { errMsg: 'state is not present in the query parameters' });
    const javascript = Buffer.from(JSON.stringify({ callback_url: 'javascript:alert(1)', code_challenge: 'x' })).toString('base64');
    for (const broken of ['not-base64-json', javascript, frontEndLogin().state.slice(0, -12)]) {
      assert.deepEqual((await api.app.inject({ method: 'GET', url: `/auth/login?state=${encodeURIComponent(broken)}` })).json(), { errMsg: 'state is invalid' });
    }
    for (const callback of ['javascript:alert(1)', `${FRONT_END_CALLBACK}#x`, `${FRONT_END_CALLBACK}?`, 'https://user@status-front.example.com/signin-oidc', 'http://status-front.example.com/signin-oidc']) {
      const response = await api.app.inject({ method: 'GET', url: frontEndLogin(callback).loginUrl });
      assert.equal(response.statusCode, 400, callback);
      assert.deepEqual(response.json(), { errMsg: 'callback_url is not allowed' }, callback);
    }
    assert.equal((await api.app.inject({ method: 'GET', url: frontEndLogin('https://STATUS-front.example.com:443/signin-oidc').loginUrl })).statusCode, 303, 'the same origin, spelt otherwise');
    assert.deepEqual((await api.app.inject({ method: 'POST', url: '/auth/token', payload: {} })).json(), { errMsg: 'failed to extract code verifier' });
    assert.deepEqual((await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: {} })).json(), { errMsg: 'refresh token is missing' });
    const preflight = await api.app.inject({ method: 'OPTIONS', url: '/auth/token', headers: { origin: FRONT_END, 'access-control-request-method': 'POST' } });
    assert.ok(preflight.statusCode < 300);
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
  });

  it('allows no callback at all while SD_AUTH_CALLBACK_URLS is unset', async (t) => {
    const { api } = await startFrontEndApp(t, { callbackUrls: [] });
    const response = await api.app.inject({ method: 'GET', url: frontEndLogin().loginUrl });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json(), { errMsg: 'callback_url is not allowed' });
  });

  it('reads a state whose "+" the query string turned into a space (UserMgr does not URL-encode it)', async (t) => {
    // A "~" at the third byte of a base64 group encodes as "+": one of three paths puts it there.
    const paths = ['/~signin-oidc', '/x~signin-oidc', '/xx~signin-oidc'];
    const callback = paths.map((path) => `${FRONT_END}${path}`).find((url) => frontEndLogin(url).state.includes('+'));
    assert.ok(callback);
    const { api } = await startFrontEndApp(t, { callbackUrls: [callback] });
    const login = frontEndLogin(callback);
    const browser = new TestBrowser(api.app, USER);
    assert.equal((await browser.logIn(login.loginUrl)).headers.location, callback);
    assert.equal((await browser.claimTokens(login.verifier)).statusCode, 200);
  });

  it('rate-limits /auth/token per client address: 429 {"errMsg"} past 30 a minute, other addresses unaffected', async (t) => {
    const { api } = await startFrontEndApp(t);
    const flooding = new TestBrowser(api.app, '198.51.100.9');
    for (let i = 0; i < 30; i += 1) assert.equal((await flooding.claimTokens(`guess-${i}`)).statusCode, 400);
    const limited = await flooding.claimTokens('guess-30');
    assert.equal(limited.statusCode, 429);
    assert.match(limited.json<{ errMsg: string }>().errMsg, /^Rate limit exceeded/);
    assert.ok(limited.headers['retry-after']);
    assert.equal((await new TestBrowser(api.app, USER).claimTokens('mine')).statusCode, 400, 'another address is not limited');
  });

  it('binds the hand-off to the client address that a trusted proxy forwards (SD_TRUST_PROXY), and ignores X-Forwarded-For from others', async (t) => {
    const proxy = '10.0.0.2';
    const { api } = await startFrontEndApp(t, { trustProxy: ['10.0.0.0/8'] });
    const login = frontEndLogin();
    const behindProxy = new TestBrowser(api.app, proxy, { 'x-forwarded-for': USER, 'x-forwarded-proto': 'https' });
    assert.equal((await behindProxy.logIn(login.loginUrl)).headers.location, FRONT_END_CALLBACK);
    const otherBehindProxy = new TestBrowser(api.app, proxy, { 'x-forwarded-for': '203.0.113.99' });
    const spoofing = new TestBrowser(api.app, '198.51.100.66', { 'x-forwarded-for': USER });
    assert.equal((await spoofing.claimTokens(login.verifier)).statusCode, 400, 'not a trusted proxy: its header does not count');

    const second = frontEndLogin();
    assert.equal((await behindProxy.logIn(second.loginUrl)).statusCode, 303);
    assert.equal((await otherBehindProxy.claimTokens(second.verifier)).statusCode, 400);
    const third = frontEndLogin();
    assert.equal((await behindProxy.logIn(third.loginUrl)).statusCode, 303);
    assert.equal((await behindProxy.claimTokens(third.verifier)).statusCode, 200);
  });

  it('counts an IPv6 client by its /64: a new privacy address gets the tokens, another network does not', async (t) => {
    const { api } = await startFrontEndApp(t);
    const first = frontEndLogin();
    assert.equal((await new TestBrowser(api.app, '2001:db8:1:2::10').logIn(first.loginUrl)).statusCode, 303);
    assert.equal((await new TestBrowser(api.app, '2001:db8:1:2:a:b:c:d').claimTokens(first.verifier)).statusCode, 200);
    const second = frontEndLogin();
    assert.equal((await new TestBrowser(api.app, '2001:db8:1:2::10').logIn(second.loginUrl)).statusCode, 303);
    assert.equal((await new TestBrowser(api.app, '2001:db8:1:3::10').claimTokens(second.verifier)).statusCode, 400);
  });

  it('with SD_TRUST_PROXY=1 takes the address the nearest proxy saw, whatever the client wrote before it', async (t) => {
    const { api } = await startFrontEndApp(t, { trustProxy: 1 });
    const login = frontEndLogin();
    const user = new TestBrowser(api.app, '10.0.0.2', { 'x-forwarded-for': `198.51.100.66, ${USER}` });
    assert.equal((await user.logIn(login.loginUrl)).statusCode, 303);
    const attacker = new TestBrowser(api.app, '10.0.0.2', { 'x-forwarded-for': `${USER}, 198.51.100.66` });
    assert.equal((await attacker.claimTokens(login.verifier)).statusCode, 400, 'the attacker wrote the user’s address in front of their own');
    const again = frontEndLogin();
    assert.equal((await user.logIn(again.loginUrl)).statusCode, 303);
    assert.equal((await new TestBrowser(api.app, '10.0.0.3', { 'x-forwarded-for': USER }).claimTokens(again.verifier)).statusCode, 200);
  });

  it('keeps the client secret, the codes, the verifiers, the login cookie and the tokens out of the log', async (t) => {
    const lines: string[] = [];
    const { api, server } = await startFrontEndApp(t, { lines });
    const issued: string[] = [];
    const verifiers: string[] = [];
    let refuse = false;
    server.service.on('beforeResponse', (response: { body: Record<string, unknown>; statusCode: number }) => {
      for (const key of ['access_token', 'id_token', 'refresh_token']) if (typeof response.body[key] === 'string') issued.push(response.body[key]);
      if (refuse) Object.assign(response, { statusCode: 400, body: { error: 'invalid_grant', error_description: 'refused by the test' } });
    });
    server.service.on('beforeTokenSigning', (_token: unknown, request: { body?: { code_verifier?: unknown } }) => {
      if (typeof request.body?.code_verifier === 'string') verifiers.push(request.body.code_verifier);
    });
    server.service.on('beforeRevoke', (response: { statusCode: number }) => {
      if (refuse) response.statusCode = 503;
    });
    const browser = new TestBrowser(api.app, USER);
    const first = frontEndLogin();
    const started = await browser.get(first.loginUrl);
    const loginCookie = cookieOf(started, 'sd_auth_login')?.value ?? '';
    const callback = await atProvider(String(started.headers.location));
    assert.equal((await browser.get(callback)).headers.location, FRONT_END_CALLBACK);
    const tokens = (await browser.claimTokens(first.verifier)).json<{ refresh_token: string }>();
    assert.equal((await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: tokens.refresh_token } })).statusCode, 200);
    // A thief's claim is logged, without what it showed.
    const stolen = frontEndLogin();
    assert.equal((await browser.logIn(stolen.loginUrl)).statusCode, 303);
    assert.equal((await new TestBrowser(api.app, '198.51.100.66').claimTokens(stolen.verifier)).statusCode, 400);
    // Refused by the provider: openid-client's errors hold what was sent, the code included.
    refuse = true;
    const refusedLogin = await browser.get(frontEndLogin().loginUrl);
    const refused = await atProvider(String(refusedLogin.headers.location));
    assert.equal((await browser.get(refused)).headers.location, `${FRONT_END_CALLBACK}?error=login+failed`);
    assert.equal((await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: tokens.refresh_token } })).statusCode, 400);
    assert.equal((await api.app.inject({ method: 'PUT', url: '/auth/logout', payload: { refresh_token: tokens.refresh_token } })).statusCode, 400);

    const log = lines.join('');
    assert.match(log, /"url":"\/auth\/callback"/);
    assert.match(log, /login failed/);
    assert.match(log, /token hand-off refused/);
    assert.match(log, /refresh refused/);
    assert.match(log, /logout refused/);
    assert.ok(issued.length >= 6, 'tokens of the login and of the refresh');
    assert.ok(verifiers.length >= 2, 'our PKCE verifiers at the provider');
    const codes = [callback, refused].map((path) => new URL(path, PUBLIC_URL).searchParams.get('code') ?? '');
    const secrets = [CLIENT_SECRET, loginCookie, first.verifier, stolen.verifier, ...codes, ...verifiers, ...issued];
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
