import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forbiddenCharacterIn, withoutForbiddenCharacters } from '../../src/domain/characters.js';

describe('characters no text may hold', () => {
  const forbidden: [string, string][] = [
    ['U+0000', 'a\u0000'],
    ['U+0008', '\b'],
    ['U+000B', '\v'],
    ['U+000C', '\f'],
    ['U+001B', '\u001b[31m'],
    ['U+001F', '\u001f'],
    ['U+D800', 'lone high \ud800 surrogate'],
    ['U+DC00', 'lone low \udc00 surrogate'],
    ['U+DE00', 'reversed pair \ude00\ud83d'],
    ['U+FFFE', '\ufffe'],
    ['U+FFFF', '\uffff'],
  ];
  for (const [character, text] of forbidden) {
    it(`finds ${character} in ${JSON.stringify(text)}`, () => assert.equal(forbiddenCharacterIn(text), character));
  }

  it('names the first one', () => assert.equal(forbiddenCharacterIn('ok\u0001then\u0000'), 'U+0001'));

  it('lets tab, line feed, carriage return, DEL, C1 controls, pairs and U+FFFD through', () => {
    assert.equal(forbiddenCharacterIn('\t\n\r\u007f\u0085\u00a0\u2028\ud83d\ude00\ufffd\u{10ffff} <x>&'), undefined);
  });

  it('removes them, or replaces each', () => {
    assert.equal(withoutForbiddenCharacters('a\u0000b\ud800c\uffffd\ud83d\ude00\r\n'), 'abcd\ud83d\ude00\r\n');
    assert.equal(withoutForbiddenCharacters('a\u0000b\udc00', '\ufffd'), 'a\ufffdb\ufffd');
  });
});
