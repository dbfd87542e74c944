import { describe, expect, it } from 'vitest';
import {
  bucketsOf,
  intervalStart,
  isTimeZone,
  nearestRank,
  parseInstant,
  percentile,
  rate,
} from '../../src/domain/stats.js';

const at = (iso: string) => Date.parse(iso);
const isoOf = (t: number) => new Date(t).toISOString();

describe('stats buckets in a time zone', () => {
  it('a date is local midnight in the zone', () => {
    expect(isoOf(parseInstant('2026-10-25', 'Europe/Paris')!)).toBe('2026-10-24T22:00:00.000Z');
    expect(isoOf(parseInstant('2026-11-01', 'UTC')!)).toBe('2026-11-01T00:00:00.000Z');
    expect(isoOf(parseInstant('2026-11-01T09:30', 'America/New_York')!)).toBe('2026-11-01T14:30:00.000Z');
    expect(parseInstant('2026-11-01T09:30:00+01:00', 'Asia/Tokyo')).toBe(at('2026-11-01T08:30:00Z'));
  });

  it('a repeated local time is its first occurrence; a skipped one is when the clocks jump', () => {
    expect(isoOf(parseInstant('2026-10-25T02:30', 'Europe/Paris')!)).toBe('2026-10-25T00:30:00.000Z');
    expect(isoOf(parseInstant('2026-03-29T02:30', 'Europe/Paris')!)).toBe('2026-03-29T01:00:00.000Z');
    // Chile moves its clocks at midnight: 6 September 2026 begins at 01:00 local (-03).
    expect(isoOf(parseInstant('2026-09-06', 'America/Santiago')!)).toBe('2026-09-06T04:00:00.000Z');
  });

  it('rejects what is not a date, a local time or a timestamp', () => {
    for (const bad of [
      'yesterday',
      '2026-13-01',
      '2026-11-01T25:00',
      '1700000000',
      '2026-11-01T09:30+0100',
    ]) {
      expect(parseInstant(bad, 'UTC')).toBeNull();
    }
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('days across DST changes last 25 and 23 hours', () => {
    const fall = bucketsOf(
      { from: at('2026-10-24T22:00:00Z'), to: at('2026-10-26T23:00:00Z') },
      'day',
      'Europe/Paris',
      10,
    )!;
    expect(fall.map((b) => (b.end - b.start) / 3_600_000)).toEqual([25, 24]);
    const spring = bucketsOf(
      { from: at('2026-03-28T23:00:00Z'), to: at('2026-03-29T22:00:00Z') },
      'day',
      'Europe/Paris',
      10,
    )!;
    expect(spring.map((b) => [isoOf(b.start), isoOf(b.end)])).toEqual([
      ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    ]);
  });

  it('the fall-back day has 25 hourly buckets; a half-hour zone aligns hours to its clock', () => {
    const paris = bucketsOf(
      { from: at('2026-10-24T22:00:00Z'), to: at('2026-10-25T23:00:00Z') },
      'hour',
      'Europe/Paris',
      100,
    )!;
    expect(paris).toHaveLength(25);
    const kolkata = bucketsOf(
      { from: at('2026-10-24T18:00:00Z'), to: at('2026-10-24T20:00:00Z') },
      'hour',
      'Asia/Kolkata',
      10,
    )!;
    expect(kolkata.map((b) => isoOf(b.start))).toEqual([
      '2026-10-24T18:00:00.000Z',
      '2026-10-24T18:30:00.000Z',
      '2026-10-24T19:30:00.000Z',
    ]);
  });

  it('weeks start on Monday; the first and last buckets are clipped to the range', () => {
    const weeks = bucketsOf(
      { from: at('2026-11-04T12:00:00Z'), to: at('2026-11-17T00:00:00Z') },
      'week',
      'UTC',
      10,
    )!;
    expect(weeks.map((b) => [isoOf(b.start), isoOf(b.end)])).toEqual([
      ['2026-11-04T12:00:00.000Z', '2026-11-09T00:00:00.000Z'],
      ['2026-11-09T00:00:00.000Z', '2026-11-16T00:00:00.000Z'],
      ['2026-11-16T00:00:00.000Z', '2026-11-17T00:00:00.000Z'],
    ]);
    expect(isoOf(intervalStart(at('2026-11-08T23:30:00Z'), 'week', 'Europe/Paris'))).toBe(
      '2026-11-08T23:00:00.000Z',
    );
  });

  it('refuses more buckets than the maximum', () => {
    expect(bucketsOf({ from: 0, to: 5 * 3_600_000 }, 'hour', 'UTC', 4)).toBeNull();
    expect(bucketsOf({ from: 0, to: 4 * 3_600_000 }, 'hour', 'UTC', 4)).toHaveLength(4);
  });
});

describe('nearest-rank percentiles and rates', () => {
  it('ranks are ceil(p/100 × n)', () => {
    expect([nearestRank(50, 10), nearestRank(90, 10), nearestRank(90, 1), nearestRank(50, 3)]).toEqual([
      5, 9, 1, 2,
    ]);
    expect([nearestRank(90, 7), nearestRank(50, 4), nearestRank(50, 0), nearestRank(100, 3)]).toEqual([
      7, 2, 0, 3,
    ]);
  });

  it('a percentile is a value of the list, never an interpolation', () => {
    expect(percentile([40, 10, 30, 20], 50)).toBe(20);
    expect(percentile([40, 10, 30, 20], 90)).toBe(40);
    expect(percentile([], 50)).toBeNull();
  });

  it('a rate has four decimals, and none without a whole', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 2)).toBe(1);
    expect(rate(0, 0)).toBeNull();
  });
});
