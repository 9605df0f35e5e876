import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coalesce } from '../../src/storage/store.js';

/** A version source whose queries the test answers by hand. */
function manualSource() {
  const pending: { started: number; resolve: (value: number) => void }[] = [];
  let version = 0;
  return {
    read: () =>
      new Promise<number>((resolve) => {
        // A query sees the state as of when it began.
        const started = version;
        pending.push({ started, resolve: () => resolve(started) });
      }),
    commit: () => ++version,
    answer: (index: number) => pending[index]?.resolve(0),
    get queries() {
      return pending.length;
    },
  };
}

describe('coalesced version checks', () => {
  it('shares one pending query among callers that arrive while the next is not yet sent', async () => {
    const source = manualSource();
    const check = coalesce(source.read);
    const first = check();
    const second = check();
    const third = check();
    assert.equal(source.queries, 1);
    source.answer(0);
    assert.equal(await first, 0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(source.queries, 2, 'callers that came during the first query get a query of their own');
    source.answer(1);
    assert.deepEqual(await Promise.all([second, third]), [0, 0]);
  });

  it('never answers a caller with a query that began before it arrived', async () => {
    const source = manualSource();
    const check = coalesce(source.read);
    const early = check(); // query 0 starts at version 0
    source.commit(); // a write returns…
    const late = check(); // …then this read arrives: it must see version 1
    source.answer(0);
    await early;
    await new Promise((resolve) => setImmediate(resolve));
    source.answer(1);
    assert.equal(await late, 1);
  });
});
