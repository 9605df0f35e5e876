import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, PasswordPolicyError, passwordProblem, spendVerificationTime, verifyPassword } from '../../src/auth/passwords.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

describe('operator passwords (scrypt)', () => {
  it('hash with a fresh salt and the cost in the string, and verify', async () => {
    const first = await hashPassword('correct horse battery', CHEAP);
    const second = await hashPassword('correct horse battery', CHEAP);
    assert.match(first, /^scrypt\$N=1024,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.notEqual(first, second, 'each hash has its own salt');
    assert.equal(await verifyPassword('correct horse battery', first), true);
    assert.equal(await verifyPassword('correct horse batterY', first), false);
    assert.equal(await verifyPassword('', first), false);
  });

  it('use the default cost (N=2^15) when none is given', async () => {
    const hash = await hashPassword('correct horse battery');
    assert.match(hash, /^scrypt\$N=32768,r=8,p=1\$/);
    assert.equal(await verifyPassword('correct horse battery', hash), true);
  });

  it('refuse short passwords', async () => {
    assert.equal(passwordProblem('elevenchars'), 'the password must have at least 12 characters');
    assert.equal(passwordProblem('twelve chars'), undefined);
    await assert.rejects(hashPassword('short', CHEAP), PasswordPolicyError);
  });

  it('match nothing against a malformed or hostile hash', async () => {
    const good = await hashPassword('correct horse battery', CHEAP);
    for (const bad of ['', 'plain', good.replace('scrypt', 'bcrypt'), good.replace('N=1024', 'N=1000'), good.replace('N=1024', 'N=1073741824'), good.slice(0, -30)]) {
      assert.equal(await verifyPassword('correct horse battery', bad), false, bad);
    }
  });

  it('spend the time of a check for unknown users, and say no', async () => {
    assert.equal(await spendVerificationTime('anything at all'), false);
  });
});
