// Impact levels of reference v1 §1.3 and the impact a monitoring client may send (spec §2.4).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IMPACTS, impactKey, isIncidentImpact, parseIncidentImpact, type ImpactLevel, type IncidentImpact } from '../../src/domain/impact.js';

describe('parseIncidentImpact: accepted values', () => {
  const accepted: { input: number | string; expected: IncidentImpact; why: string }[] = [
    { input: 1, expected: 1, why: 'the integer 1' },
    { input: 2, expected: 2, why: 'the integer 2' },
    { input: 3, expected: 3, why: 'the integer 3' },
    { input: 2.0, expected: 2, why: 'a number with an integral value' },
    { input: '1', expected: 1, why: 'a numeric string, parsed leniently as the reference does' },
    { input: '2', expected: 2, why: 'a numeric string' },
    { input: '3', expected: 3, why: 'a numeric string' },
    { input: 'minor', expected: 1, why: "the key 'minor' (the seed's curl example)" },
    { input: 'major', expected: 2, why: "the key 'major'" },
    { input: 'outage', expected: 3, why: "the key 'outage'" },
    // Decision: surrounding blanks around digits are tolerated, as the reference's lenient
    // integer parse (Python int(" 2 ")) accepts them.
    { input: ' 2 ', expected: 2, why: 'digits with surrounding blanks, tolerated like the reference' },
    { input: ' minor ', expected: 1, why: 'names with surrounding blanks, trimmed like digits' },
    { input: '\t3\n', expected: 3, why: 'digits with surrounding tab and newline' },
  ];
  for (const { input, expected, why } of accepted) {
    it(`returns ${expected} for ${JSON.stringify(input)}: ${why}`, () => {
      assert.equal(parseIncidentImpact(input), expected);
    });
  }
});

describe('parseIncidentImpact: refused values', () => {
  const refused: { input: number | string; why: string }[] = [
    { input: 0, why: 'maintenance (0) cannot be opened by monitoring (reference bug B5)' },
    { input: '0', why: 'maintenance as a numeric string' },
    { input: 'maintenance', why: 'maintenance by its key' },
    { input: 4, why: 'above the ladder' },
    { input: '4', why: 'above the ladder as a string' },
    { input: 5, why: 'above the ladder' },
    { input: -1, why: 'negative' },
    { input: '-1', why: 'negative as a string' },
    { input: 1.5, why: 'fractional: refused rather than truncated to 1 (reference bug B2)' },
    { input: '1.5', why: 'fractional as a string' },
    { input: '2.0', why: 'a decimal string is not an integer string' },
    { input: 'foo', why: 'not an impact' },
    { input: '', why: 'empty' },
    { input: '   ', why: 'blank' },
    { input: 'Minor', why: 'keys are case-sensitive' },
    { input: 'MAJOR', why: 'keys are case-sensitive' },
    { input: 'Service outage', why: 'the display string is not a key' },
    { input: '1e0', why: 'exponent notation' },
    { input: '0x2', why: 'hexadecimal' },
    { input: Number.NaN, why: 'NaN' },
    { input: Number.POSITIVE_INFINITY, why: 'infinity' },
  ];
  for (const { input, why } of refused) {
    it(`returns undefined for ${typeof input === 'number' ? String(input) : JSON.stringify(input)}: ${why}`, () => {
      assert.equal(parseIncidentImpact(input), undefined);
    });
  }
});

describe('impactKey', () => {
  const keys: { level: ImpactLevel; key: string }[] = [
    { level: 0, key: 'maintenance' },
    { level: 1, key: 'minor' },
    { level: 2, key: 'major' },
    { level: 3, key: 'outage' },
  ];
  for (const { level, key } of keys) {
    it(`returns '${key}' for level ${level}`, () => {
      assert.equal(impactKey(level), key);
    });
  }
});

describe('isIncidentImpact', () => {
  const cases: { value: number; expected: boolean }[] = [
    { value: -1, expected: false },
    { value: 0, expected: false },
    { value: 1, expected: true },
    { value: 2, expected: true },
    { value: 3, expected: true },
    { value: 4, expected: false },
    { value: 1.5, expected: false },
  ];
  for (const { value, expected } of cases) {
    it(`returns ${expected} for ${value}`, () => {
      assert.equal(isIncidentImpact(value), expected);
    });
  }
});

describe('IMPACTS', () => {
  it('lists the four levels of reference v1 §1.3 in order with their keys and display strings', () => {
    assert.deepEqual(
      IMPACTS.map(({ level, key, label }) => ({ level, key, label })),
      [
        { level: 0, key: 'maintenance', label: 'Scheduled maintenance' },
        { level: 1, key: 'minor', label: 'Minor incident (i.e. performance impact)' },
        { level: 2, key: 'major', label: 'Major incident' },
        { level: 3, key: 'outage', label: 'Service outage' },
      ],
    );
  });
});
