// Issue 15, finding 8: nobody else can lock an operator out of the login form.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { addTestOperator, cookieOf, PASSWORD, postLogin } from '../helpers/login-form.js';

const ATTACKER = '198.51.100.66';
const OWNER = '203.0.113.10';

/** The dashboard with alice and bob; the login slowdown notes its waits instead of waiting. */
async function setUp(t: Parameters<typeof buildTestApp>[0]) {
  const waits: number[] = [];
  const test = await buildTestApp(t, { sleep: async (ms) => waits.push(ms) });
  await addTestOperator(test, 'alice');
  await addTestOperator(test, 'bob');
  return { ...test, waits };
}

describeEachDatabase('no lockout by a third party (issue 15, finding 8)', () => {
  it("locks only the attacker's address out of the username: the owner elsewhere logs in, slowed down, and others at that address too", async (t) => {
    const { app, waits } = await setUp(t);
    const codes = [];
    for (let attempt = 0; attempt < 7; attempt += 1) codes.push((await postLogin(app, { username: 'alice', password: `wrong password ${attempt}` }, undefined, ATTACKER)).statusCode);
    assert.deepEqual(codes, [401, 401, 401, 401, 401, 429, 429]);

    const owner = await postLogin(app, { username: 'alice', password: PASSWORD }, undefined, OWNER);
    assert.equal(owner.statusCode, 303, owner.body);
    assert.ok(cookieOf(owner, 'sd_session')?.value);
    assert.deepEqual(waits, [1000], 'the password was checked after a wait of 1 s');

    const neighbour = await postLogin(app, { username: 'bob', password: PASSWORD }, undefined, ATTACKER);
    assert.equal(neighbour.statusCode, 303, 'another user behind the same address');
  });

  it('slows a username attacked from many addresses down to at most 10 s a try, but never refuses its owner', async (t) => {
    const { app, waits } = await setUp(t);
    for (let attempt = 0; attempt < 12; attempt += 1) {
      assert.equal((await postLogin(app, { username: 'alice', password: `wrong password ${attempt}` }, undefined, `198.51.100.${attempt + 1}`)).statusCode, 401);
    }
    assert.equal((await postLogin(app, { username: 'alice', password: PASSWORD }, undefined, OWNER)).statusCode, 303);
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000]);
  });
});
