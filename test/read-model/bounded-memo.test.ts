// Answers kept for keys clients choose (queries, ids): bounded, so made-up queries cannot grow memory.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedMemo } from '../../src/read-model/bounded-memo.js';

const FOREVER = Number.POSITIVE_INFINITY;

describe('BoundedMemo', () => {
  it('keeps the first keys up to its number and refuses any other, unbuilt, however many are asked for', () => {
    const memo = new BoundedMemo<string>({ keys: 3, weight: FOREVER }, () => 1);
    const built: string[] = [];
    const build = (key: string) => () => {
      built.push(key);
      return { value: `answer ${key}`, validUntil: FOREVER };
    };
    for (let key = 0; key < 1000; key += 1) assert.equal(memo.keep(String(key), 0, build(String(key))), key < 3 ? `answer ${key}` : undefined, `key ${key}`);
    assert.deepEqual(built, ['0', '1', '2'], 'a refused key is not built here: its caller builds it for its request');
    assert.equal(memo.keep('1', 0, build('1')), 'answer 1', 'a kept key keeps its value');
    assert.deepEqual(built, ['0', '1', '2']);
  });

  it('takes no new key once its values weigh the bound, so it holds at most the bound and one value', () => {
    const memo = new BoundedMemo<string>({ keys: 100, weight: 10 }, (value) => value.length);
    const keep = (key: string, value: string, now = 0, validUntil = FOREVER) => memo.keep(key, now, () => ({ value, validUntil }));
    assert.equal(keep('a', '123456'), '123456');
    assert.equal(keep('b', '1234567'), '1234567', 'under the bound when asked: kept, though it goes over');
    assert.equal(keep('c', '1'), undefined, '13 of 10: nothing new');
    assert.equal(keep('a', 'ignored'), '123456', 'kept ones stay');
  });

  it('builds a value again in its slot once the moment it named has come, weighing it again', () => {
    const memo = new BoundedMemo<string>({ keys: 2, weight: 10 }, (value) => value.length);
    let builds = 0;
    const grown = (size: number) => () => ({ value: 'x'.repeat(size), validUntil: 100 + (builds += 1) * 100 });
    assert.equal(memo.keep('q', 0, grown(2)), 'xx');
    assert.equal(memo.keep('q', 199, grown(3)), 'xx', 'valid until 200');
    assert.equal(memo.keep('q', 200, grown(11)), 'x'.repeat(11), 'built again in its slot');
    assert.equal(builds, 2);
    assert.equal(memo.keep('r', 200, grown(1)), undefined, 'the rebuilt value weighs 11: no room');
    assert.equal(memo.keep('q', 300, grown(1)), 'x', 'lighter again');
    assert.equal(memo.keep('r', 300, grown(1)), 'x', 'room again');
  });
});
