import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTimeZone, TIME_ZONES, utcToZoned, zonedToUtc } from '../../src/domain/zoned-time.js';

const HOUR = 3_600_000;

describe('zonedToUtc', () => {
  const cases: [string, string, number][] = [
    ['2026-06-01T12:34', 'UTC', Date.UTC(2026, 5, 1, 12, 34)],
    ['2026-07-01T12:00', 'Europe/Berlin', Date.UTC(2026, 6, 1, 10, 0)],
    ['2026-01-15T12:00', 'Europe/Berlin', Date.UTC(2026, 0, 15, 11, 0)],
    ['2026-07-01T12:00', 'America/New_York', Date.UTC(2026, 6, 1, 16, 0)],
    ['2026-01-15T12:00', 'America/New_York', Date.UTC(2026, 0, 15, 17, 0)],
    ['2026-07-01T12:00', 'Asia/Kolkata', Date.UTC(2026, 6, 1, 6, 30)],
    ['2026-01-15T12:00', 'Asia/Kolkata', Date.UTC(2026, 0, 15, 6, 30)],
    ['2026-07-01T12:00', 'Asia/Kathmandu', Date.UTC(2026, 6, 1, 6, 15)],
    ['2026-01-01T00:00', 'Europe/Berlin', Date.UTC(2025, 11, 31, 23, 0)],
    ['2028-02-29T12:00', 'UTC', Date.UTC(2028, 1, 29, 12, 0)],
  ];
  for (const [local, zone, expected] of cases) {
    it(`reads ${local} in ${zone} as ${new Date(expected).toISOString()}`, () => assert.equal(zonedToUtc(local, zone), expected));
  }

  it('accepts seconds', () => {
    assert.equal(zonedToUtc('2026-06-01T12:34:56', 'UTC'), Date.UTC(2026, 5, 1, 12, 34, 56));
    assert.equal(zonedToUtc('2026-07-01T12:00:30', 'Europe/Berlin'), Date.UTC(2026, 6, 1, 10, 0, 30));
  });

  it('reads a time the spring clock change skips with the offset before the change', () => {
    assert.equal(zonedToUtc('2026-03-29T02:30', 'Europe/Berlin'), Date.UTC(2026, 2, 29, 1, 30));
    assert.equal(utcToZoned(Date.UTC(2026, 2, 29, 1, 30), 'Europe/Berlin'), '2026-03-29T03:30');
    assert.equal(zonedToUtc('2026-03-08T02:30', 'America/New_York'), Date.UTC(2026, 2, 8, 7, 30));
  });

  it('reads the times either side of the spring gap with their own offsets', () => {
    assert.equal(zonedToUtc('2026-03-29T01:59', 'Europe/Berlin'), Date.UTC(2026, 2, 29, 0, 59));
    assert.equal(zonedToUtc('2026-03-29T03:00', 'Europe/Berlin'), Date.UTC(2026, 2, 29, 1, 0));
  });

  it('reads a time the autumn clock change repeats as the first of the two', () => {
    assert.equal(zonedToUtc('2026-10-25T02:30', 'Europe/Berlin'), Date.UTC(2026, 9, 25, 0, 30));
    // both instants show the same wall clock; the earlier one is chosen
    assert.equal(utcToZoned(Date.UTC(2026, 9, 25, 0, 30), 'Europe/Berlin'), '2026-10-25T02:30');
    assert.equal(utcToZoned(Date.UTC(2026, 9, 25, 1, 30), 'Europe/Berlin'), '2026-10-25T02:30');
    assert.equal(zonedToUtc('2026-11-01T01:30', 'America/New_York'), Date.UTC(2026, 10, 1, 5, 30));
  });

  it('reads the times either side of the autumn repeat with their own offsets', () => {
    assert.equal(zonedToUtc('2026-10-25T01:59', 'Europe/Berlin'), Date.UTC(2026, 9, 24, 23, 59));
    assert.equal(zonedToUtc('2026-10-25T03:00', 'Europe/Berlin'), Date.UTC(2026, 9, 25, 2, 0));
  });

  const invalid = [
    '2026-02-30T12:00',
    '2026-02-29T12:00',
    '2026-04-31T12:00',
    '2026-13-01T12:00',
    '2026-00-10T12:00',
    '2026-01-00T12:00',
    '2026-01-01T24:00',
    '2026-01-01T23:60',
    '2026-01-01T23:59:60',
    'garbage',
    '',
    '2026-01-01',
    '2026-01-01 12:00',
    '2026-01-01T12:00Z',
    '2026-01-01T12:00+01:00',
    '2026-01-01T12',
    '2026-1-1T12:00',
    ' 2026-01-01T12:00',
    '2026-01-01T12:00:00.000',
  ];
  for (const local of invalid) {
    it(`refuses the text ${JSON.stringify(local)}`, () => assert.equal(zonedToUtc(local, 'UTC'), undefined));
  }

  it('refuses times outside the years the dashboard knows, also when the zone moves them out', () => {
    for (const local of ['0000-01-01T00:00', '0099-06-01T12:00', '1969-12-31T23:59', '2100-01-01T00:00', '9999-12-31T00:00']) {
      assert.equal(zonedToUtc(local, 'UTC'), undefined, local);
    }
    assert.equal(zonedToUtc('1970-01-01T00:30', 'Europe/Berlin'), undefined);
    assert.equal(zonedToUtc('2099-12-31T23:30', 'America/New_York'), undefined);
    assert.equal(zonedToUtc('1970-01-01T00:00', 'UTC'), 0);
    assert.equal(zonedToUtc('2099-12-31T23:59:59', 'UTC'), Date.UTC(2099, 11, 31, 23, 59, 59));
  });

  for (const zone of ['Mars/Olympus', '', '+01:00', 'Europe/Berlinn']) {
    it(`refuses the zone ${JSON.stringify(zone)}`, () => assert.equal(zonedToUtc('2026-06-01T12:00', zone), undefined));
  }
});

describe('utcToZoned', () => {
  it('shows an instant in a zone to the minute by default, or to the second', () => {
    const at = Date.UTC(2026, 6, 1, 10, 5, 42);
    assert.equal(utcToZoned(at, 'UTC'), '2026-07-01T10:05');
    assert.equal(utcToZoned(at, 'Europe/Berlin'), '2026-07-01T12:05');
    assert.equal(utcToZoned(at, 'Europe/Berlin', 'minute'), '2026-07-01T12:05');
    assert.equal(utcToZoned(at, 'Europe/Berlin', 'second'), '2026-07-01T12:05:42');
    assert.equal(utcToZoned(at, 'America/New_York'), '2026-07-01T06:05');
    assert.equal(utcToZoned(at, 'Asia/Kolkata'), '2026-07-01T15:35');
  });

  it('shows midnight as 00:00 of the next day, not 24:00', () => {
    assert.equal(utcToZoned(Date.UTC(2026, 0, 1, 23, 0), 'Europe/Berlin'), '2026-01-02T00:00');
    assert.equal(utcToZoned(Date.UTC(2026, 0, 1, 0, 0), 'UTC', 'second'), '2026-01-01T00:00:00');
  });

  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns'];
  // every 7 h 13 min 17 s through 2026, so every hour of the day and the clock changes are crossed
  const instants = Array.from({ length: 1300 }, (_, i) => Date.UTC(2026, 0, 1) + i * (7 * HOUR + 13 * 60_000 + 17_000));

  for (const zone of zones) {
    it(`round-trips through ${zone}`, () => {
      for (const at of instants) {
        const local = utcToZoned(at, zone, 'second');
        const back = zonedToUtc(local, zone);
        assert.ok(back !== undefined, `${local} in ${zone} reads back`);
        assert.equal(utcToZoned(back, zone, 'second'), local, `${local} in ${zone}`);
        // the same instant, or for a repeated wall clock the first of its two instants
        assert.ok(back <= at && at - back <= HOUR, `${new Date(at).toISOString()} in ${zone} read back as ${new Date(back).toISOString()}`);
      }
    });
  }

  for (const zone of ['UTC', 'Asia/Kolkata']) {
    it(`round-trips every instant exactly in ${zone}, which has no clock changes`, () => {
      for (const at of instants) assert.equal(zonedToUtc(utcToZoned(at, zone, 'second'), zone), at);
    });
  }

  it('round-trips a wall clock to the minute', () => {
    for (const local of ['2026-01-15T08:00', '2026-03-29T01:59', '2026-03-29T03:00', '2026-10-25T02:30', '2026-12-31T23:59']) {
      assert.equal(utcToZoned(zonedToUtc(local, 'Europe/Berlin') ?? Number.NaN, 'Europe/Berlin'), local);
    }
  });
});

describe('time zones', () => {
  it('lists UTC and the IANA zones once each', () => {
    assert.ok(TIME_ZONES.includes('UTC'));
    assert.ok(TIME_ZONES.includes('Europe/Berlin'));
    assert.ok(TIME_ZONES.includes('America/New_York'));
    assert.equal(TIME_ZONES[0], 'UTC');
    assert.equal(new Set(TIME_ZONES).size, TIME_ZONES.length);
  });

  it('knows every zone it lists', () => {
    for (const zone of TIME_ZONES) assert.ok(isTimeZone(zone), zone);
  });

  it('knows UTC, IANA zones and their other spellings', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Calcutta', 'Europe/Kyiv', 'Etc/UTC']) {
      assert.equal(isTimeZone(zone), true, zone);
    }
  });

  it('refuses what is not a zone', () => {
    for (const zone of ['', 'Mars/Olympus', 'Europe/Berlinn', '+01:00', 'UTC+1', 'garbage']) assert.equal(isTimeZone(zone), false, zone);
  });
});
