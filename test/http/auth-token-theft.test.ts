// Issue 15, finding 2: the theft of a front-end login's tokens through /auth/*, replayed end to
// end against a real OpenID Connect provider (oauth2-mock-server, which logs in whoever comes, as
// a provider does for a victim who has a session there).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDatabase } from '../helpers/database.js';
import { atProvider, FRONT_END, FRONT_END_CALLBACK, frontEndLogin, startFrontEndApp, TestBrowser } from '../helpers/front-end.js';

const VICTIM = '203.0.113.10';
const ATTACKER = '198.51.100.66';

describeEachDatabase('/auth token theft (issue 15, finding 2)', () => {
  it('refuses a link with a callback of the attacker: 400 at /auth/login, no redirect', async (t) => {
    const { api } = await startFrontEndApp(t);
    const victim = new TestBrowser(api.app, VICTIM);
    for (const callback of ['https://evil.example.net/steal', `${FRONT_END}/elsewhere`, `${FRONT_END_CALLBACK}?next=https://evil.example.net`, 'https://status-front.example.com.evil.example.net/signin-oidc']) {
      const crafted = frontEndLogin(callback);
      const response = await victim.get(crafted.loginUrl);
      assert.equal(response.statusCode, 400, callback);
      assert.deepEqual(response.json(), { errMsg: 'callback_url is not allowed' });
      assert.equal(response.headers.location, undefined);
    }
  });

  it('gives the attacker nothing for a link with their own challenge and an allowed callback, opened by the victim', async (t) => {
    const { api } = await startFrontEndApp(t);
    const crafted = frontEndLogin();
    const victim = new TestBrowser(api.app, VICTIM);
    const landed = await victim.logIn(crafted.loginUrl);
    assert.equal(landed.statusCode, 303, landed.body);
    assert.equal(landed.headers.location, FRONT_END_CALLBACK);

    // The attacker shows their verifier from their own address, as the front end's page would.
    const stolen = await new TestBrowser(api.app, ATTACKER).claimTokens(crafted.verifier);
    assert.equal(stolen.statusCode, 400);
    assert.deepEqual(stolen.json(), { errMsg: 'missing data for code verifier' });
    assert.doesNotMatch(stolen.body, /access_token/);
    // The try spent the hand-off: not even the victim's address gets it now.
    assert.equal((await victim.claimTokens(crafted.verifier)).statusCode, 400);
  });

  it("gives a page of another origin in the victim's own browser nothing, and no claim without Origin", async (t) => {
    const { api } = await startFrontEndApp(t);
    for (const origin of ['https://evil.example.net', null]) {
      const crafted = frontEndLogin();
      const victim = new TestBrowser(api.app, VICTIM);
      assert.equal((await victim.logIn(crafted.loginUrl)).statusCode, 303);
      const stolen = await victim.claimTokens(crafted.verifier, origin);
      assert.equal(stolen.statusCode, 400, String(origin));
      assert.equal((await victim.claimTokens(crafted.verifier)).statusCode, 400, 'spent by the refused claim');
    }
  });

  it("refuses the callback of a login the attacker started and whose authorize URL they forwarded: 400, no redirect", async (t) => {
    const { api } = await startFrontEndApp(t);
    const crafted = frontEndLogin();
    const attacker = new TestBrowser(api.app, ATTACKER);
    const started = await attacker.get(crafted.loginUrl);
    assert.equal(started.statusCode, 303);
    const authorize = String(started.headers.location);

    // The victim opens the provider's authorize URL; the provider sends their browser back to us.
    const victim = new TestBrowser(api.app, VICTIM);
    const callback = await atProvider(authorize);
    const landed = await victim.get(callback);
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(landed.json(), { errMsg: 'no login in progress for this browser' });
    assert.equal(landed.headers.location, undefined);
    assert.equal((await attacker.claimTokens(crafted.verifier)).statusCode, 400);
    assert.equal((await victim.claimTokens(crafted.verifier)).statusCode, 400);
    // The state was spent by the refused callback: the attacker's own browser cannot use it either.
    assert.equal((await attacker.get(callback)).statusCode, 400);
  });

  it('answers a forged state at /auth/callback with 400 and no redirect (no open redirect)', async (t) => {
    const { api } = await startFrontEndApp(t);
    const browser = new TestBrowser(api.app, VICTIM);
    for (const callback of ['https://evil.example.net/steal', FRONT_END_CALLBACK]) {
      const forged = frontEndLogin(callback).state;
      const response = await browser.get(`/auth/callback?state=${encodeURIComponent(forged)}&code=anything`);
      assert.equal(response.statusCode, 400, callback);
      assert.equal(response.headers.location, undefined, callback);
    }
  });

  it("still logs the front end in: UserMgr's state, the provider, the callback, the token POST from its page", async (t) => {
    const { api } = await startFrontEndApp(t);
    const login = frontEndLogin();
    const browser = new TestBrowser(api.app, VICTIM);
    const landed = await browser.logIn(login.loginUrl);
    assert.equal(landed.statusCode, 303, landed.body);
    assert.equal(landed.headers.location, FRONT_END_CALLBACK);
    const claimed = await browser.claimTokens(login.verifier);
    assert.equal(claimed.statusCode, 200, claimed.body);
    const tokens = claimed.json<{ access_token: string; refresh_token: string }>();
    assert.equal(tokens.access_token.split('.').length, 3);
    assert.ok(tokens.refresh_token, 'UserMgr refuses an answer without a refresh token');
    assert.equal((await browser.claimTokens(login.verifier)).statusCode, 400, 'once');
  });
});
