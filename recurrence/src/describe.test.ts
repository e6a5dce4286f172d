import { describe, expect, it } from 'vitest';
import { describeRecurrence } from './describe.js';

describe('describeRecurrence', () => {
  it.each([
    ['FREQ=DAILY', 'every day'],
    ['FREQ=DAILY;INTERVAL=3', 'every 3 days'],
    ['FREQ=HOURLY;INTERVAL=4', 'every 4 hours'],
    ['FREQ=WEEKLY', 'every week'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'every weekday'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', 'every 2 weeks on Monday and Wednesday'],
    ['FREQ=WEEKLY;BYDAY=MO,WE,FR', 'every week on Monday, Wednesday and Friday'],
    ['FREQ=MONTHLY;BYMONTHDAY=1', 'every month on the 1st'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15', 'every month on the 1st and 15th'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'every month on the last day'],
    ['FREQ=MONTHLY;BYMONTHDAY=-2', 'every month on the 2nd to last day'],
    ['FREQ=MONTHLY;BYMONTHDAY=22,23', 'every month on the 22nd and 23rd'],
    ['FREQ=MONTHLY;BYMONTHDAY=11,12,13', 'every month on the 11th, 12th and 13th'],
    ['FREQ=MONTHLY;BYDAY=2TU', 'every month on the 2nd Tuesday'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'every month on the last Friday'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'every month on the last weekday'],
    ['FREQ=MONTHLY;BYDAY=MO,WE;BYSETPOS=1', 'every month on the 1st Monday or Wednesday'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 'every year on February 29'],
    ['FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1', 'every year on the 1st in January and July'],
    ['FREQ=YEARLY;BYYEARDAY=-1', 'every year on the last day of the year'],
    ['FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO', 'every year on Monday in week 1'],
    ['FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0', 'every day at 09:00 and 17:00'],
    ['FREQ=DAILY;COUNT=5', 'every day, 5 times'],
    ['FREQ=DAILY;COUNT=1', 'every day, once'],
    ['FREQ=WEEKLY;UNTIL=20261231T235959Z', 'every week, until 31 December 2026'],
  ])('%s → "%s"', (rule, text) => {
    expect(describeRecurrence(rule)).toBe(text);
  });

  it('says when the next one is counted from completion', () => {
    expect(describeRecurrence('FREQ=DAILY;INTERVAL=3', 'completion')).toBe(
      'every 3 days, counted from completion',
    );
  });

  it('returns null for a rule that is not valid', () => {
    expect(describeRecurrence('FREQ=SECONDLY')).toBeNull();
  });
});
