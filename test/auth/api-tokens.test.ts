import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { signApiToken, verifyApiToken } from '../../src/auth/api-tokens.js';

const settings = { secretKey: 'unit-secret', payloadKey: 'stackmon' };

describe('API tokens', () => {
  it('names the caller by sub, else by the payload key’s value, else "monitoring"', async () => {
    const sign = (payload: Record<string, unknown>) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(settings.secretKey));
    assert.deepEqual(await verifyApiToken(settings, await signApiToken(settings, { subject: 'zabbix' })), { name: 'zabbix', id: 'token:zabbix', role: 'admin' });
    assert.deepEqual(await verifyApiToken(settings, await sign({ stackmon: 'probe-1' })), { name: 'probe-1', id: 'token:probe-1', role: 'admin' });
    assert.deepEqual(await verifyApiToken(settings, await sign({ stackmon: '' })), { name: 'monitoring', id: 'token:monitoring', role: 'admin' });
  });

  it('refuses a remembered token once it has expired', async () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    const token = await new SignJWT({ stackmon: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(now / 1000) + 60)
      .sign(new TextEncoder().encode(settings.secretKey));
    assert.ok(await verifyApiToken(settings, token, now));
    assert.ok(await verifyApiToken(settings, token, now + 59_000), 'still valid, now from memory');
    assert.equal(await verifyApiToken(settings, token, now + 61_000), undefined);
  });

  it('does not let a token verified under one secret pass under another', async () => {
    const token = await signApiToken(settings, { subject: 'a' });
    assert.ok(await verifyApiToken(settings, token));
    assert.equal(await verifyApiToken({ ...settings, secretKey: 'rotated' }, token), undefined);
    assert.equal(await verifyApiToken({ ...settings, payloadKey: 'other' }, token), undefined);
  });
});
