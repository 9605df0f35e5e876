import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { hashPassword } from '../../src/auth/passwords.js';
import { removeOperator, setOperatorPassword } from '../../src/storage/operators.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { addTestOperator, asOperator, CHEAP_COST, cookieOf, logInWithForm, openLoginForm, PASSWORD, postLogin } from '../helpers/login-form.js';

async function withOperator(t: TestContext, options: Parameters<typeof buildTestApp>[1] = {}): Promise<TestApp> {
  const test = await buildTestApp(t, options);
  await addTestOperator(test);
  return test;
}

describeEachDatabase('operator login', () => {
  it('GET /incidents without a session: 401 {"message":"Invalid token!"} (reference test 25)', async (t) => {
    const { app } = await buildTestApp(t);
    const response = await app.inject({ method: 'GET', url: '/incidents' });
    assert.equal(response.statusCode, 401);
    assert.equal(response.body, '{"message":"Invalid token!"}');
    assert.match(String(response.headers['content-type']), /^application\/json/);
  });

  it('shows a form with a CSRF token, and logs in: 303 to / with an HttpOnly, SameSite=Lax session cookie', async (t) => {
    const { app } = await withOperator(t);
    const form = await app.inject({ method: 'GET', url: '/login' });
    assert.equal(form.headers['cache-control'], 'private, no-store');
    assert.match(form.body, /<form class="login-form" method="post" action="\/login"/);
    assert.match(form.body, /autocomplete="current-password"/);
    const response = await postLogin(app, { username: 'alice', password: PASSWORD });
    assert.equal(response.statusCode, 303);
    const session = cookieOf(response, 'sd_session');
    assert.ok(session?.httpOnly);
    assert.equal(session?.sameSite, 'Lax');
    assert.equal(session?.path, '/');
    assert.equal(session?.maxAge, 12 * 3600);
    assert.ok(!session?.secure, 'plain HTTP without an https public URL');
    assert.ok(!session?.value.includes('alice'));
  });

  it('marks the cookies Secure when the public URL is https', async (t) => {
    const { app } = await withOperator(t, { publicUrl: 'https://status.example.com' });
    const form = await app.inject({ method: 'GET', url: '/login' });
    assert.equal(cookieOf(form, 'sd_login_csrf')?.secure, true);
    const response = await postLogin(app, { username: 'alice', password: PASSWORD });
    assert.equal(cookieOf(response, 'sd_session')?.secure, true);
  });

  it('with a session: the header names the operator, the page is private, and the public copy stays public', async (t) => {
    const { app } = await withOperator(t);
    const anonymousBefore = await app.inject({ method: 'GET', url: '/' });
    const session = await logInWithForm(app);
    for (const url of ['/', '/history', '/availability']) {
      const page = await app.inject({ method: 'GET', url, headers: asOperator(session) });
      assert.equal(page.statusCode, 200, url);
      assert.match(page.body, /Logged in as alice/, url);
      assert.match(page.body, /<form method="post" action="\/logout"><input type="hidden" name="csrf" value="[^"]+"\/?><button type="submit">Log out<\/button>/, url);
      assert.doesNotMatch(page.body, /href="\/login"/, url);
      assert.equal(page.headers['cache-control'], 'private, no-store', url);
    }
    const anonymous = await app.inject({ method: 'GET', url: '/' });
    assert.equal(anonymous.headers['cache-control'], 'public, max-age=0, s-maxage=5, stale-if-error=86400');
    assert.match(anonymous.body, /<a href="\/login">Log in<\/a>/);
    assert.doesNotMatch(anonymous.body, /Logged in as/);
    assert.equal(anonymous.headers.etag, anonymousBefore.headers.etag);
    const withTag = await app.inject({ method: 'GET', url: '/', headers: { ...asOperator(session), 'if-none-match': String(anonymous.headers.etag) } });
    assert.equal(withTag.statusCode, 200, 'the public tag does not match the personal page');
  });

  it('GET /incidents with a session: the form that opens an event', async (t) => {
    const { app } = await withOperator(t);
    const session = await logInWithForm(app);
    const response = await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session) });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<h1>Open an event<\/h1>/);
  });

  it('refuses a wrong password or an unknown user with 401 and the form, without a session', async (t) => {
    const { app } = await withOperator(t);
    for (const fields of [
      { username: 'alice', password: 'not the password at all' },
      { username: 'mallory', password: PASSWORD },
    ]) {
      const response = await postLogin(app, fields);
      assert.equal(response.statusCode, 401);
      assert.match(response.body, /role="alert"[^>]*>Wrong username or password\./);
      assert.equal(cookieOf(response, 'sd_session'), undefined);
    }
    const empty = await postLogin(app, { username: 'alice', password: '' });
    assert.equal(empty.statusCode, 400);
  });

  it('refuses a login post without the CSRF token, or with a wrong one: 403', async (t) => {
    const { app } = await withOperator(t);
    const form = await openLoginForm(app);
    const missing = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sd_login_csrf=${form.nonce}` },
      payload: new URLSearchParams({ username: 'alice', password: PASSWORD }).toString(),
    });
    assert.equal(missing.statusCode, 403);
    assert.equal(cookieOf(missing, 'sd_session'), undefined);
    const wrong = await postLogin(app, { username: 'alice', password: PASSWORD }, { nonce: form.nonce, csrf: 'x'.repeat(43) });
    assert.equal(wrong.statusCode, 403);
    const otherBrowser = await openLoginForm(app);
    const swapped = await postLogin(app, { username: 'alice', password: PASSWORD }, { nonce: otherBrowser.nonce, csrf: form.csrf });
    assert.equal(swapped.statusCode, 403);
    const noCookie = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ csrf: form.csrf, username: 'alice', password: PASSWORD }).toString(),
    });
    assert.equal(noCookie.statusCode, 403);
  });

  it('refuses a username from one address after 5 failed attempts: 429 with a message, even for the right password, for 15 minutes', async (t) => {
    const { app, clock } = await withOperator(t);
    const form = await openLoginForm(app);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await postLogin(app, { username: 'alice', password: `wrong password ${attempt}` }, form, '10.0.0.1');
      assert.equal(response.statusCode, 401);
    }
    const blocked = await postLogin(app, { username: 'alice', password: PASSWORD }, form, '10.0.0.1');
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.body, /Too many failed attempts\. Please wait 15 minutes/);
    assert.equal(cookieOf(blocked, 'sd_session'), undefined);

    clock.advance(15 * MINUTE + 1);
    const later = await postLogin(app, { username: 'alice', password: PASSWORD }, form, '10.0.0.1');
    assert.equal(later.statusCode, 303);
  });

  it('counts the failed attempts of every instance on the database', async (t) => {
    const first = await withOperator(t);
    const second = await buildTestApp(t, { store: first.store, clock: first.clock });
    for (const [attempt, app] of [first.app, second.app, first.app, second.app, first.app].entries()) {
      assert.equal((await postLogin(app, { username: 'alice', password: `wrong password ${attempt}` }, undefined, '10.0.0.1')).statusCode, 401);
    }
    for (const app of [first.app, second.app]) assert.equal((await postLogin(app, { username: 'alice', password: PASSWORD }, undefined, '10.0.0.1')).statusCode, 429);
  });

  it('lets only 5 of 20 concurrent wrong passwords from one address be checked: the rest get 429 at once', async (t) => {
    const { app } = await withOperator(t);
    const form = await openLoginForm(app);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, attempt) => postLogin(app, { username: 'alice', password: `wrong password ${attempt}` }, form, '10.0.2.1')));
    const codes = answers.map((response) => response.statusCode).sort();
    assert.deepEqual(codes, [...Array<number>(5).fill(401), ...Array<number>(15).fill(429)]);
  });

  it('treats a tampered or expired cookie as no session', async (t) => {
    const { app, clock } = await withOperator(t);
    const session = await logInWithForm(app);
    const tampered = session.slice(0, -5) + (session.endsWith('AAAAA') ? 'BBBBB' : 'AAAAA');
    for (const value of [tampered, 'not-a-session', `${session}x`]) {
      const page = await app.inject({ method: 'GET', url: '/', headers: asOperator(value) });
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /Logged in as/);
      assert.equal((await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(value) })).statusCode, 401);
    }
    clock.advance(11 * HOUR);
    assert.equal((await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session) })).statusCode, 200);
    clock.advance(HOUR + 1000);
    const expired = await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session) });
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.body, '{"message":"Invalid token!"}');
  });

  it('works on another instance sharing the database (nothing kept in memory), not on one with another database', async (t) => {
    const first = await withOperator(t);
    const session = await logInWithForm(first.app);
    const second = await buildTestApp(t, { store: first.store, clock: first.clock });
    assert.match((await second.app.inject({ method: 'GET', url: '/', headers: asOperator(session) })).body, /Logged in as alice/);
    const elsewhere = await withOperator(t, { clock: first.clock });
    assert.doesNotMatch((await elsewhere.app.inject({ method: 'GET', url: '/', headers: asOperator(session) })).body, /Logged in as/, 'the same secret, but no such session there');
  });

  it('ends the session when the password changes or the account goes', async (t) => {
    const { app, store, clock } = await withOperator(t);
    const session = await logInWithForm(app);
    clock.advance(MINUTE);
    await setOperatorPassword(store, 'alice', await hashPassword('another long password', CHEAP_COST), clock.read(), 'cli:test');
    assert.equal((await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session) })).statusCode, 401);
    const fresh = await postLogin(app, { username: 'alice', password: 'another long password' });
    const value = cookieOf(fresh, 'sd_session')?.value ?? '';
    assert.equal((await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(value) })).statusCode, 200);
    await removeOperator(store, 'alice', clock.read(), 'cli:test');
    assert.equal((await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(value) })).statusCode, 401);
  });

  it('logs out with the session CSRF token; without it or with a wrong one: 403', async (t) => {
    const { app } = await withOperator(t);
    const session = await logInWithForm(app);
    const page = await app.inject({ method: 'GET', url: '/', headers: asOperator(session) });
    const csrf = /action="\/logout"><input type="hidden" name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    assert.ok(csrf);
    const post = (fields: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/logout',
        headers: { ...asOperator(session), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
    assert.equal((await post({})).statusCode, 403);
    assert.equal((await post({ csrf: `${csrf}x` })).statusCode, 403);
    const out = await post({ csrf });
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/');
    const cleared = cookieOf(out, 'sd_session');
    assert.equal(cleared?.value, '');
    assert.ok(cleared?.maxAge === 0 || (cleared as { expires?: Date } | undefined)?.expires?.getTime() === 0);
  });

  it('never logs the password, the session cookie or the CSRF tokens', async (t) => {
    const lines: string[] = [];
    const { app } = await withOperator(t, { logStream: { write: (line) => lines.push(line) } });
    const form = await openLoginForm(app);
    await postLogin(app, { username: 'alice', password: 'wrong but secret words' }, form);
    const response = await postLogin(app, { username: 'alice', password: PASSWORD }, form);
    const session = cookieOf(response, 'sd_session')?.value ?? '';
    await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session) });
    const log = lines.join('');
    assert.match(log, /login failed/);
    assert.match(log, /operator logged in/);
    for (const secret of [PASSWORD, 'wrong but secret words', session, form.nonce, form.csrf]) assert.ok(!log.includes(secret), `leaked ${secret.slice(0, 12)}`);
  });
});
