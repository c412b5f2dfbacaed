import { describe, expect, it } from 'vitest';
import {
  checkZone, continuations, describePlanned, describeWhen, formatAt, formatDuration, formatFromNow, instantOf, isoDuration, parseDuration,
  parseIsoDuration, parseWhen, planSteps, type Clock,
} from './schedule';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Thursday 10 December 2026, 12:00 in Oslo (CET, UTC+1). */
const oslo: Clock = { now: new Date('2026-12-10T11:00:00Z'), zone: 'Europe/Oslo' };
const at = (when: ReturnType<typeof parseWhen>) => (when.kind === 'at' ? when.time.toISOString() : `not a time: ${when.kind}`);

describe('an interval in words', () => {
  it.each([
    ['10 minutes', 10 * MIN], ['1 minute', MIN], ['10 min', 10 * MIN], ['10m', 10 * MIN], ['30 seconds', 30_000], ['5 s', 5000],
    ['1 hour', HOUR], ['an hour', HOUR], ['2 hrs', 2 * HOUR], ['1.5 hours', 90 * MIN], ['1h30m', 90 * MIN],
    ['1 hour 30 minutes', 90 * MIN], ['1 hour and 30 minutes', 90 * MIN], ['1 hour, 30 minutes', 90 * MIN],
    ['a day', DAY], ['2 days', 2 * DAY], ['1 week', 7 * DAY], ['2 WEEKS', 14 * DAY],
  ])('“%s” is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('says what it did not understand', () => {
    expect(() => parseDuration('')).toThrow('Say how long');
    expect(() => parseDuration('ten minutes')).toThrow('“ten” is not an amount');
    expect(() => parseDuration('10')).toThrow('“10” needs a unit');
    expect(() => parseDuration('10 fortnights')).toThrow('“fortnights” is not a unit of time');
  });

  it.each([
    [10 * MIN, '10 minutes'], [MIN, '1 minute'], [HOUR, '1 hour'], [90 * MIN, '1 hour 30 minutes'], [DAY, '1 day'],
    [2 * DAY + HOUR, '2 days 1 hour'], [45_000, '45 seconds'], [0, '0 seconds'],
  ])('%d ms reads “%s”', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('goes to and from the ISO-8601 form the API uses', () => {
    for (const ms of [1000, 10 * MIN, HOUR, 90 * MIN, DAY, 36 * HOUR + 5000, 1500]) expect(parseIsoDuration(isoDuration(ms))).toBe(ms);
    expect(isoDuration(10 * MIN)).toBe('PT10M');
    expect(isoDuration(HOUR)).toBe('PT1H');
    expect(isoDuration(DAY)).toBe('PT24H');
    expect(parseIsoDuration('P1D')).toBe(DAY);
    expect(parseIsoDuration('PT1H30M')).toBe(90 * MIN);
    expect(parseIsoDuration('soon')).toBeNull();
    expect(parseIsoDuration('PT')).toBeNull();
  });
});

describe('when a step happens, in words', () => {
  it('“in …” is a time that far from now', () => {
    expect(at(parseWhen('in 10 minutes', oslo))).toBe('2026-12-10T11:10:00.000Z');
    expect(at(parseWhen('In 2 hours', oslo))).toBe('2026-12-10T13:00:00.000Z');
    expect(at(parseWhen('in 1 day', oslo))).toBe('2026-12-11T11:00:00.000Z');
  });

  it('“after …” waits after the step before', () => {
    expect(parseWhen('after 1 hour', oslo)).toEqual({ kind: 'after', ms: HOUR });
    expect(parseWhen('30 minutes later', oslo)).toEqual({ kind: 'after', ms: 30 * MIN });
    expect(parseWhen('10 minutes after', oslo)).toEqual({ kind: 'after', ms: 10 * MIN });
  });

  it('nothing, “now” or “at once” is at once', () => {
    for (const text of ['', ' ', 'now', 'NOW', 'at once', 'immediately']) expect(parseWhen(text, oslo)).toEqual({ kind: 'now' });
  });

  it('“at …” is a time of day in the zone, today or the day named', () => {
    expect(at(parseWhen('at 15:00', oslo))).toBe('2026-12-10T14:00:00.000Z');
    expect(at(parseWhen('at 3pm', oslo))).toBe('2026-12-10T14:00:00.000Z');
    expect(at(parseWhen('at 09:00 tomorrow', oslo))).toBe('2026-12-11T08:00:00.000Z');
    expect(at(parseWhen('tomorrow at 9am', oslo))).toBe('2026-12-11T08:00:00.000Z');
    expect(at(parseWhen('tomorrow 9:30', oslo))).toBe('2026-12-11T08:30:00.000Z');
    expect(at(parseWhen('at 09:00 on 2026-12-24', oslo))).toBe('2026-12-24T08:00:00.000Z');
    expect(at(parseWhen('on 2026-12-24 at 12:00 am', oslo))).toBe('2026-12-23T23:00:00.000Z');
    expect(at(parseWhen('at 2026-12-24 09:00', oslo))).toBe('2026-12-24T08:00:00.000Z');
  });

  it('“at 09:00” once nine has passed is tomorrow’s; a day named that has passed is refused', () => {
    expect(at(parseWhen('at 09:00', oslo))).toBe('2026-12-11T08:00:00.000Z');
    expect(() => parseWhen('at 09:00 today', oslo)).toThrow('09:00 today has passed (it is 12:00 today in Europe/Oslo now)');
  });

  it('a zone in the words wins over the clock’s', () => {
    expect(at(parseWhen('at 09:00 tomorrow (America/New_York)', oslo))).toBe('2026-12-11T14:00:00.000Z');
    expect(at(parseWhen('at 09:00 tomorrow UTC', oslo))).toBe('2026-12-11T09:00:00.000Z');
    expect(at(parseWhen('at 09:00 tomorrow in Asia/Tokyo', oslo))).toBe('2026-12-11T00:00:00.000Z');
    expect(() => parseWhen('at 09:00 tomorrow (Mars/Olympus)', oslo)).toThrow('“Mars/Olympus” is not a time zone');
  });

  it('bad input gets a message that says what to write', () => {
    expect(() => parseWhen('soonish', oslo)).toThrow('“soonish” is not understood; write “in 10 minutes”, “after 1 hour” or “at 09:00 tomorrow”.');
    expect(() => parseWhen('10 minutes', oslo)).toThrow('Say “in 10 minutes” (from now) or “after 10 minutes” (after the step before).');
    expect(() => parseWhen('at 25:00', oslo)).toThrow('hours go to 23');
    expect(() => parseWhen('at 13pm', oslo)).toThrow('with am or pm the hour is 1 to 12');
    expect(() => parseWhen('at noonish', oslo)).toThrow('is not a time of day');
    expect(() => parseWhen('at 09:00 on 2026-02-30', oslo)).toThrow('2026-02-30 is not a date');
    expect(() => parseWhen('at 09:00 next week', oslo)).toThrow('“next week” is not a day');
    expect(() => parseWhen('after 0 seconds', oslo)).toThrow('from 1 second to 90 days');
    expect(() => parseWhen('after 91 days', oslo)).toThrow('from 1 second to 90 days');
    expect(() => parseWhen('in 0 minutes', oslo)).toThrow('at least 1 second');
  });
});

describe('clocks that change (daylight saving time)', () => {
  // Europe/Oslo: 2027-03-28 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET
  it('a time the clocks skip does not exist', () => {
    expect(() => instantOf({ year: 2027, month: 3, day: 28, hour: 2, minute: 30 }, 'Europe/Oslo'))
      .toThrow('02:30 on 2027-03-28 does not exist in Europe/Oslo: the clocks go forward that night');
  });

  it('a time the clocks pass twice is the first of the two', () => {
    expect(instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Oslo').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('“tomorrow at 09:00” keeps the wall clock across the change; “in 1 day” is 24 hours', () => {
    const saturday: Clock = { now: new Date('2027-03-27T11:00:00Z'), zone: 'Europe/Oslo' }; // 12:00 CET
    expect(at(parseWhen('at 09:00 tomorrow', saturday))).toBe('2027-03-28T07:00:00.000Z'); // 09:00 CEST
    expect(at(parseWhen('in 1 day', saturday))).toBe('2027-03-28T11:00:00.000Z'); // 13:00 CEST
    expect(formatAt(new Date('2027-03-28T11:00:00Z'), saturday)).toBe('at 13:00 tomorrow (Europe/Oslo)');
  });

  it('times right after the change are read with the new offset', () => {
    expect(instantOf({ year: 2027, month: 3, day: 28, hour: 3, minute: 0 }, 'Europe/Oslo').toISOString()).toBe('2027-03-28T01:00:00.000Z');
    expect(instantOf({ year: 2027, month: 3, day: 28, hour: 1, minute: 59 }, 'Europe/Oslo').toISOString()).toBe('2027-03-28T00:59:00.000Z');
    expect(instantOf({ year: 2026, month: 10, day: 25, hour: 3, minute: 0 }, 'Europe/Oslo').toISOString()).toBe('2026-10-25T02:00:00.000Z');
  });

  it('a zone without daylight saving time and one on the other side of the world', () => {
    expect(instantOf({ year: 2027, month: 3, day: 28, hour: 2, minute: 30 }, 'UTC').toISOString()).toBe('2027-03-28T02:30:00.000Z');
    // Sydney leaves daylight saving time on 2027-04-04 03:00 → 02:00
    expect(instantOf({ year: 2027, month: 4, day: 4, hour: 2, minute: 30 }, 'Australia/Sydney').toISOString()).toBe('2027-04-03T15:30:00.000Z');
  });
});

describe('a time shown in words', () => {
  it('says today, tomorrow, yesterday or the date, with the zone', () => {
    expect(formatAt(new Date('2026-12-10T14:00:00Z'), oslo)).toBe('at 15:00 today (Europe/Oslo)');
    expect(formatAt(new Date('2026-12-11T08:00:00Z'), oslo)).toBe('at 09:00 tomorrow (Europe/Oslo)');
    expect(formatAt(new Date('2026-12-09T08:00:00Z'), oslo)).toBe('at 09:00 yesterday (Europe/Oslo)');
    expect(formatAt(new Date('2026-12-24T08:00:00Z'), oslo)).toBe('at 09:00 on 2026-12-24 (Europe/Oslo)');
    expect(formatAt(new Date('2026-12-10T23:30:00Z'), { ...oslo, zone: 'UTC' })).toBe('at 23:30 today (UTC)');
  });

  it('reads back as the same time', () => {
    for (const iso of ['2026-12-10T14:00:00Z', '2026-12-11T08:00:00Z', '2026-12-24T08:00:00Z']) {
      expect(at(parseWhen(formatAt(new Date(iso), oslo), oslo))).toBe(new Date(iso).toISOString());
    }
  });

  it('counts down from now', () => {
    expect(formatFromNow(new Date(oslo.now.getTime() + 10 * MIN), oslo.now)).toBe('in 10 minutes');
    expect(formatFromNow(new Date(oslo.now.getTime() + 10 * MIN - 2000), oslo.now)).toBe('in 10 minutes');
    expect(formatFromNow(new Date(oslo.now.getTime() + 40_000), oslo.now)).toBe('in 40 seconds');
    expect(formatFromNow(new Date(oslo.now.getTime() - 5000), oslo.now)).toBe('now');
  });

  it('describes what the API planned', () => {
    expect(describePlanned({ after: 'PT10M' }, oslo)).toBe('after 10 minutes');
    expect(describePlanned({ after: 'PT24H' }, oslo)).toBe('after 1 day');
    expect(describePlanned({ at: '2026-12-11T08:00:00Z' }, oslo)).toBe('at 09:00 tomorrow (Europe/Oslo)');
    expect(describePlanned({}, oslo)).toBe('');
    expect(describeWhen({ kind: 'after', ms: HOUR }, oslo)).toBe('after 1 hour');
  });

  it('checks zone names', () => {
    expect(checkZone('Europe/Oslo')).toBe('Europe/Oslo');
    expect(() => checkZone('Oslo')).toThrow('is not a time zone');
  });
});

describe('a plan in words becomes the API’s steps', () => {
  it('“in …” is a time, “after …” an interval, the first step at once', () => {
    expect(planSteps([{ percentage: '1', when: '' }, { percentage: '10', when: 'in 10 minutes' }, { percentage: '100', when: 'after 1 hour' }], oslo))
      .toEqual([{ percentage: 1 }, { percentage: 10, at: '2026-12-10T11:10:00.000Z' }, { percentage: 100, after: 'PT1H' }]);
  });

  it('refuses what the server would, saying which step and why', () => {
    expect(() => planSteps([{ percentage: '0', when: '' }], oslo)).toThrow('Step 1 needs a percentage above 0 and at most 100.');
    expect(() => planSteps([{ percentage: '101', when: '' }], oslo)).toThrow('Step 1 needs a percentage');
    expect(() => planSteps([{ percentage: '', when: '' }], oslo)).toThrow('Step 1 needs a percentage');
    expect(() => planSteps([{ percentage: '1.0001', when: '' }], oslo)).toThrow('at most three decimals');
    expect(() => planSteps([{ percentage: '10', when: '' }, { percentage: '5', when: 'after 1 hour' }], oslo))
      .toThrow('Step 2 must raise the share: 5 % is not above the 10 % of step 1.');
    expect(() => planSteps([{ percentage: '10', when: '' }, { percentage: '50', when: 'now' }], oslo)).toThrow('Step 2 needs a time');
    expect(() => planSteps([{ percentage: '10', when: '' }, { percentage: '50', when: 'after 1 hour' }, { percentage: '100', when: 'in 2 hours' }], oslo))
      .toThrow('Step 3 is at a fixed time, but step 2 waits (“after 1 hour”)');
    expect(() => planSteps([{ percentage: '10', when: 'in 2 hours' }, { percentage: '50', when: 'in 1 hour' }], oslo))
      .toThrow('Step 2 (at 13:00 today (Europe/Oslo)) must come after step 1 (at 14:00 today (Europe/Oslo)).');
    expect(() => planSteps([{ percentage: '10', when: 'whenever' }], oslo)).toThrow('Step 1: “whenever” is not understood');
  });

  it('a plan that continues a release starts above the share it reached', () => {
    expect(() => planSteps([{ percentage: '25', when: '' }], oslo, 25)).toThrow('Step 1 must go above the 25 % the release reached.');
    expect(planSteps([{ percentage: '100', when: 'in 10 minutes' }], oslo, 25)).toEqual([{ percentage: 100, at: '2026-12-10T11:10:00.000Z' }]);
  });
});

describe('where a completed release may go next', () => {
  it('offers the next usual share and everyone', () => {
    expect(continuations(10)).toEqual([25, 100]);
    expect(continuations(25)).toEqual([50, 100]);
    expect(continuations(0.5)).toEqual([1, 100]);
    expect(continuations(50)).toEqual([100]);
    expect(continuations(60)).toEqual([100]);
    expect(continuations(100)).toEqual([]);
  });
});
