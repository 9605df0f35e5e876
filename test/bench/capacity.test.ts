import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { LIVE_POLL_SECONDS } from '../../bench/capacity.js';

describe('capacity scenario', () => {
  it('polls as often as an open page does (public/app.js)', () => {
    const script = readFileSync(new URL('../../public/app.js', import.meta.url), 'utf8');
    const interval = /LIVE_INTERVAL_MS = (\d+);/.exec(script)?.[1];
    assert.equal(Number(interval), LIVE_POLL_SECONDS * 1000);
  });
});
