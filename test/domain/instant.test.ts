import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWithinYears, parseInstant, wallClockTime, YEARS } from '../../src/domain/instant.js';

describe('parseInstant', () => {
  const valid: [string, number][] = [
    ['2026-03-10T12:00:00Z', Date.UTC(2026, 2, 10, 12)],
    ['2026-03-10T12:00:00.123Z', Date.UTC(2026, 2, 10, 12, 0, 0, 123)],
    ['2026-03-10T12:00:00.1Z', Date.UTC(2026, 2, 10, 12, 0, 0, 100)],
    ['2026-03-10T12:00:00.123456789Z', Date.UTC(2026, 2, 10, 12, 0, 0, 123)],
    ['2026-03-10t12:00:00z', Date.UTC(2026, 2, 10, 12)],
    ['2026-03-10T12:00:00+01:00', Date.UTC(2026, 2, 10, 11)],
    ['2026-03-10T12:00:00-05:30', Date.UTC(2026, 2, 10, 17, 30)],
    ['2026-03-10T12:00:00-00:00', Date.UTC(2026, 2, 10, 12)],
    ['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
    ['1970-01-01T00:00:00Z', 0],
    ['2099-12-31T23:59:59.999Z', Date.UTC(2100, 0, 1) - 1],
    // what the React front end sends: `new Date().toISOString()`
    [new Date(Date.UTC(2026, 11, 24, 18, 30, 5, 7)).toISOString(), Date.UTC(2026, 11, 24, 18, 30, 5, 7)],
  ];
  for (const [text, expected] of valid) {
    it(`reads ${text}`, () => assert.equal(parseInstant(text), expected));
  }

  const invalid: [string, string][] = [
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['February 30', '2026-02-30T12:00:00Z'],
    ['February 29 of a common year', '2026-02-29T12:00:00Z'],
    ['April 31', '2026-04-31T12:00:00Z'],
    ['month 13', '2026-13-01T12:00:00Z'],
    ['month 0', '2026-00-01T12:00:00Z'],
    ['day 0', '2026-01-00T12:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'],
    ['minute 60', '2026-01-01T23:60:00Z'],
    ['no seconds', '2026-01-01T12:00Z'],
    ['no zone', '2026-01-01T12:00:00'],
    ['an offset hour 24', '2026-01-01T12:00:00+24:00'],
    ['an offset minute 60', '2026-01-01T12:00:00+01:60'],
    ['an offset without a colon', '2026-01-01T12:00:00+0100'],
    ['an empty fraction', '2026-01-01T12:00:00.Z'],
    ['ten fraction digits', '2026-01-01T12:00:00.1234567890Z'],
    ['a space for T', '2026-01-01 12:00:00Z'],
    ['a date only', '2026-01-01'],
    ['leading space', ' 2026-01-01T12:00:00Z'],
    ['trailing newline', '2026-01-01T12:00:00Z\n'],
    ['year 0', '0000-01-01T00:00:00Z'],
    ['year 99 (Date.UTC reads it as 1999)', '0099-01-01T00:00:00Z'],
    ['year 1969', '1969-12-31T23:59:59Z'],
    ['year 2100', '2100-01-01T00:00:00Z'],
    ['year 9999', '9999-12-31T23:59:59Z'],
    ['an expanded year', '+010000-01-01T00:00:00.000Z'],
    ['an offset that leads out of the years', '2099-12-31T23:00:00-05:00'],
    ['an offset that leads before the years', '1970-01-01T00:30:00+01:00'],
    ['text', 'now'],
    ['nothing', ''],
  ];
  for (const [what, text] of invalid) {
    it(`refuses ${what}: ${JSON.stringify(text)}`, () => assert.equal(parseInstant(text), undefined));
  }
});

describe('wallClockTime and isWithinYears', () => {
  it('reads real times and refuses the rest', () => {
    assert.equal(wallClockTime({ year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59 }), Date.UTC(2024, 1, 29, 23, 59, 59));
    assert.equal(wallClockTime({ year: 2025, month: 2, day: 29, hour: 0, minute: 0, second: 0 }), undefined);
    assert.equal(wallClockTime({ year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 60 }), undefined);
  });

  it('bounds instants by the first and last year', () => {
    assert.equal(isWithinYears(Date.UTC(YEARS.first, 0, 1)), true);
    assert.equal(isWithinYears(Date.UTC(YEARS.first, 0, 1) - 1), false);
    assert.equal(isWithinYears(Date.UTC(YEARS.last, 11, 31, 23, 59, 59, 999)), true);
    assert.equal(isWithinYears(Date.UTC(YEARS.last + 1, 0, 1)), false);
    assert.equal(isWithinYears(Number.NaN), false);
  });
});
