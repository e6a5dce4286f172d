import { describe, expect, it } from 'vitest';
import { parseRecurrenceRule } from './rrule-validation.js';

describe('parseRecurrenceRule accepts', () => {
  it.each([
    ['FREQ=DAILY', 'FREQ=DAILY'],
    ['RRULE:FREQ=WEEKLY;BYDAY=MO,WE', 'FREQ=WEEKLY;BYDAY=MO,WE'],
    ['rrule:freq=weekly;byday=mo', 'FREQ=WEEKLY;BYDAY=MO'],
    ['  FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;  ', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE'],
    ['BYMONTHDAY=-1;FREQ=MONTHLY', 'FREQ=MONTHLY;BYMONTHDAY=-1'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'],
    ['FREQ=MONTHLY;BYDAY=+2TU', 'FREQ=MONTHLY;BYDAY=2TU'],
    ['FREQ=DAILY;COUNT=1000', 'FREQ=DAILY;COUNT=1000'],
    ['FREQ=DAILY;INTERVAL=1', 'FREQ=DAILY'],
    ['FREQ=DAILY;UNTIL=20261231T235959Z', 'FREQ=DAILY;UNTIL=20261231T235959Z'],
    ['FREQ=DAILY;UNTIL=20261231', 'FREQ=DAILY;UNTIL=20261231T235959'],
    ['FREQ=HOURLY;INTERVAL=4;BYHOUR=8,12,16', 'FREQ=HOURLY;INTERVAL=4;BYHOUR=8,12,16'],
    // Numeric BY… parts are sets (RFC 5545): ascending, each value once.
    ['FREQ=DAILY;BYHOUR=18,3,18;BYMINUTE=45,15', 'FREQ=DAILY;BYHOUR=3,18;BYMINUTE=15,45'],
    ['FREQ=MONTHLY;BYMONTHDAY=15,-1,1', 'FREQ=MONTHLY;BYMONTHDAY=-1,1,15'],
    ['FREQ=YEARLY;BYMONTH=12,1;BYDAY=MO', 'FREQ=YEARLY;BYMONTH=1,12;BYDAY=MO'],
    ['FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO;WKST=SU', 'FREQ=YEARLY;BYWEEKNO=-1,1;BYDAY=MO;WKST=SU'],
  ])('%j as %j', (input, canonical) => {
    const result = parseRecurrenceRule(input);
    expect(result).toMatchObject({ ok: true, rule: canonical });
  });

  it('returns rrule options for the rule', () => {
    const result = parseRecurrenceRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=5');
    if (!result.ok) throw new Error(result.message);
    expect(result.options).toMatchObject({ freq: 2, interval: 2, count: 5 });
    expect(result.options.byweekday).toHaveLength(2);
  });
});

describe('parseRecurrenceRule rejects', () => {
  it.each([
    ['DTSTART inside the rule', 'FREQ=DAILY;DTSTART=20260101T090000Z', 'must not contain DTSTART'],
    ['a DTSTART line', 'DTSTART:20260101T090000Z\nRRULE:FREQ=DAILY', 'single line'],
    ['a DTSTART prefix on one line', 'DTSTART:20260101T090000Z RRULE:FREQ=DAILY', 'must not contain DTSTART'],
    ['multi-line input', 'FREQ=DAILY\r\nFREQ=WEEKLY', 'single line'],
    ['FREQ=SECONDLY', 'FREQ=SECONDLY', 'more often than hourly'],
    ['FREQ=MINUTELY', 'FREQ=MINUTELY;INTERVAL=5', 'more often than hourly'],
    ['an unknown FREQ', 'FREQ=FORTNIGHTLY', 'FREQ must be one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY'],
    ['a missing FREQ', 'BYDAY=MO', 'needs FREQ'],
    ['an empty rule', '', 'empty'],
    ['only a prefix', 'RRULE:', 'empty'],
    [
      'COUNT with UNTIL',
      'FREQ=DAILY;COUNT=3;UNTIL=20261231T000000Z',
      'COUNT and UNTIL cannot be used together',
    ],
    ['COUNT=0', 'FREQ=DAILY;COUNT=0', 'COUNT must be a whole number from 1 to 1000'],
    ['COUNT=1001', 'FREQ=DAILY;COUNT=1001', 'COUNT must be a whole number from 1 to 1000'],
    ['a negative COUNT', 'FREQ=DAILY;COUNT=-3', 'COUNT must be a whole number'],
    ['a fractional COUNT', 'FREQ=DAILY;COUNT=2.5', 'COUNT must be a whole number'],
    ['INTERVAL=0', 'FREQ=DAILY;INTERVAL=0', 'INTERVAL must be a whole number from 1 to 1000'],
    ['INTERVAL=5000', 'FREQ=DAILY;INTERVAL=5000', 'INTERVAL must be a whole number from 1 to 1000'],
    ['garbage', 'every tuesday please', 'not a NAME=VALUE pair'],
    ['an unknown part', 'FREQ=DAILY;FOO=1', 'Unknown recurrence rule part "FOO"'],
    ['a repeated part', 'FREQ=DAILY;FREQ=WEEKLY', 'FREQ appears more than once'],
    ['a bad weekday', 'FREQ=WEEKLY;BYDAY=XX', 'MO, TU, WE, TH, FR, SA or SU'],
    ['a numbered weekday in a weekly rule', 'FREQ=WEEKLY;BYDAY=2MO', 'needs FREQ=MONTHLY or FREQ=YEARLY'],
    ['a 6th weekday of a month', 'FREQ=MONTHLY;BYDAY=6MO', 'from 1 to 5'],
    ['BYMONTHDAY=0', 'FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY must be a whole number'],
    ['BYMONTHDAY=32', 'FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY must be a whole number'],
    ['BYHOUR=24', 'FREQ=DAILY;BYHOUR=24', 'BYHOUR must be a whole number from 0 to 23'],
    ['BYMONTH=13', 'FREQ=YEARLY;BYMONTH=13', 'BYMONTH must be a whole number from 1 to 12'],
    ['a date that never exists', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31', 'never produces a date'],
    ['April 31st', 'FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31', 'never produces a date'],
    ['BYWEEKNO outside YEARLY', 'FREQ=MONTHLY;BYWEEKNO=3', 'BYWEEKNO needs FREQ=YEARLY'],
    ['BYMONTHDAY in a weekly rule', 'FREQ=WEEKLY;BYMONTHDAY=3', 'cannot be used with FREQ=WEEKLY'],
    ['BYSETPOS in an hourly rule', 'FREQ=HOURLY;BYMINUTE=5;BYSETPOS=2', 'BYSETPOS works with FREQ=WEEKLY'],
    ['BYSETPOS alone', 'FREQ=MONTHLY;BYSETPOS=1', 'BYSETPOS needs another BY'],
    ['a malformed UNTIL', 'FREQ=DAILY;UNTIL=2026-12-31', 'UNTIL must be a date like 20261231'],
    ['an impossible UNTIL date', 'FREQ=DAILY;UNTIL=20260230', 'UNTIL must be a date'],
    ['an absurdly long rule', `FREQ=DAILY;BYHOUR=${'1,'.repeat(300)}1`, 'too long (at most 500 characters)'],
  ])('%s', (_name, input, message) => {
    const result = parseRecurrenceRule(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });
});
