import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactDecrypt } from 'jose';
import { checkLoginCsrf, deriveSessionKeys, loginCsrfToken, newCsrfSecret, newSessionId, openSession, sameToken, sealSession, SESSION_LIFETIME } from '../../src/auth/sessions.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const keys = deriveSessionKeys('test-secret');
const session = { id: newSessionId(), subject: 'local:alice', name: 'alice', csrf: newCsrfSecret() };

describe('operator sessions', () => {
  it('seal and open again, with a 12 h expiry', async () => {
    const { value, expiresAt } = await sealSession(keys, session, NOW);
    assert.equal(expiresAt, NOW / 1000 + SESSION_LIFETIME);
    assert.deepEqual(await openSession(keys, value, NOW + 60_000), { ...session, expiresAt });
    assert.ok(!value.includes('alice'), 'the content is encrypted, not just signed');
    assert.equal(JSON.parse(Buffer.from(value.split('.')[0] ?? '', 'base64url').toString()).enc, 'A256GCM');
  });

  it('are no session once expired, tampered with, or under another key', async () => {
    const { value } = await sealSession(keys, session, NOW);
    assert.equal(await openSession(keys, value, NOW + SESSION_LIFETIME * 1000 + 1000), undefined);
    const parts = value.split('.');
    const cipher = parts[3] ?? '';
    parts[3] = (cipher[0] === 'A' ? 'B' : 'A') + cipher.slice(1);
    assert.equal(await openSession(keys, parts.join('.'), NOW), undefined);
    assert.equal(await openSession(deriveSessionKeys('other-secret'), value, NOW), undefined);
    assert.equal(await openSession(keys, 'garbage', NOW), undefined);
    assert.equal(await openSession(keys, undefined, NOW), undefined);
  });

  it('derive keys that differ from the secret key itself and from each other', async () => {
    assert.notDeepEqual(Buffer.from(keys.session), Buffer.from('test-secret'));
    assert.notDeepEqual(Buffer.from(keys.session), keys.loginCsrf);
    assert.equal(keys.session.length, 32);
    const { value } = await sealSession(keys, session, NOW);
    const padded = new Uint8Array(32);
    padded.set(Buffer.from('test-secret'));
    await assert.rejects(compactDecrypt(value, padded));
  });

  it('check login CSRF tokens against the nonce, in constant time', () => {
    const token = loginCsrfToken(keys, 'nonce-0123456789abcdef');
    assert.equal(checkLoginCsrf(keys, 'nonce-0123456789abcdef', token), true);
    assert.equal(checkLoginCsrf(keys, 'nonce-0123456789abcdeX', token), false);
    assert.equal(checkLoginCsrf(keys, undefined, token), false);
    assert.equal(checkLoginCsrf(keys, 'nonce-0123456789abcdef', undefined), false);
    assert.equal(checkLoginCsrf(deriveSessionKeys('other'), 'nonce-0123456789abcdef', token), false);
    assert.equal(sameToken('abc', 'abc'), true);
    assert.equal(sameToken('abc', 'abcd'), false);
    assert.equal(sameToken('abc', ['abc']), false);
  });
});
