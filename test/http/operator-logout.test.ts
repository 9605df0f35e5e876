// Issue 15, finding 9: logging out ends the session, on every instance; so do a new password and
// the CLI. A cookie captured before is no session afterwards.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { hashPassword } from '../../src/auth/passwords.js';
import { setOperatorPassword } from '../../src/storage/operators.js';
import { buildTestApp } from '../helpers/app.js';
import { MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { addTestOperator, asOperator, CHEAP_COST, logInWithForm, logOutWithForm } from '../helpers/login-form.js';
import { databaseOf } from '../../src/storage/database-of.js';

/** Two instances on one database, alice an operator on it. */
async function twoInstances(t: Parameters<typeof buildTestApp>[0], lines?: string[]) {
  const first = await buildTestApp(t, lines ? { logStream: { write: (line) => lines.push(line) } } : {});
  const second = await buildTestApp(t, { store: first.store, clock: first.clock });
  await addTestOperator(first);
  return { first, second };
}

const gate = async (app: Awaited<ReturnType<typeof buildTestApp>>['app'], session: string) =>
  (await app.inject({ method: 'GET', url: '/incidents', headers: asOperator(session) })).statusCode;

describeEachDatabase('logout ends the session everywhere (issue 15, finding 9)', () => {
  it('refuses a cookie captured before the logout: 401 on an operator route, on this instance and on another', async (t) => {
    const { first, second } = await twoInstances(t);
    const session = await logInWithForm(first.app);
    assert.equal(await gate(first.app, session), 200);
    assert.equal(await gate(second.app, session), 200);

    assert.equal((await logOutWithForm(first.app, session)).statusCode, 303);
    assert.equal(await gate(first.app, session), 401);
    assert.equal(await gate(second.app, session), 401);
    const page = await second.app.inject({ method: 'GET', url: '/', headers: asOperator(session) });
    assert.doesNotMatch(page.body, /Logged in as/);
  });

  it('ends only the session that logs out: another login of the same operator goes on', async (t) => {
    const { first, second } = await twoInstances(t);
    const laptop = await logInWithForm(first.app);
    const phone = await logInWithForm(second.app);
    await logOutWithForm(second.app, phone);
    assert.equal(await gate(second.app, phone), 401);
    assert.equal(await gate(second.app, laptop), 200);
  });

  it('ends every session of an account when its password changes, on every instance', async (t) => {
    const { first, second } = await twoInstances(t);
    const sessions = [await logInWithForm(first.app), await logInWithForm(second.app)];
    first.clock.advance(MINUTE);
    await setOperatorPassword(first.store, 'alice', await hashPassword('another long password', CHEAP_COST), first.clock.read(), 'cli:test');
    for (const session of sessions) for (const app of [first.app, second.app]) assert.equal(await gate(app, session), 401);
  });

  it('treats a session as none when the database cannot check it, and logs why without the cookie', async (t) => {
    const lines: string[] = [];
    const { first } = await twoInstances(t, lines);
    const session = await logInWithForm(first.app);
    // A failing database, as the session check sees it.
    await databaseOf(first.store).schema.dropTable('operator_session').execute();
    assert.equal(await gate(first.app, session), 401);
    const log = lines.join('');
    assert.match(log, /operator session not checked \(the database failed\): the request is anonymous/);
    assert.ok(!log.includes(session));
  });
});
