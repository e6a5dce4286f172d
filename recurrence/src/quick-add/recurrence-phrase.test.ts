import { describe, expect, it } from 'vitest';
import { formatRuleParts } from '../rule-parts.js';
import { findRecurrence } from './recurrence-phrase.js';

const rule = (text: string) => {
  const match = findRecurrence(text);
  return match ? { rule: formatRuleParts(match.parts), from: match.from } : null;
};

describe('recurrence phrases', () => {
  it.each([
    ['every day', 'FREQ=DAILY'],
    ['daily', 'FREQ=DAILY'],
    ['every 3 days', 'FREQ=DAILY;INTERVAL=3'],
    ['every other week', 'FREQ=WEEKLY;INTERVAL=2'],
    ['every weekday', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
    ['every weekend', 'FREQ=WEEKLY;BYDAY=SA,SU'],
    ['every monday', 'FREQ=WEEKLY;BYDAY=MO'],
    ['every tue, thu and sat', 'FREQ=WEEKLY;BYDAY=TU,TH,SA'],
    ['every friday and monday', 'FREQ=WEEKLY;BYDAY=MO,FR'],
    ['weekly on fridays', 'FREQ=WEEKLY;BYDAY=FR'],
    ['every 2 weeks on mon and wed', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE'],
    ['biweekly', 'FREQ=WEEKLY;INTERVAL=2'],
    ['every month on the 1st', 'FREQ=MONTHLY;BYMONTHDAY=1'],
    ['monthly on the 15th', 'FREQ=MONTHLY;BYMONTHDAY=15'],
    ['every month on the last day', 'FREQ=MONTHLY;BYMONTHDAY=-1'],
    ['every month on the 2nd tuesday', 'FREQ=MONTHLY;BYDAY=2TU'],
    ['every month on the last friday', 'FREQ=MONTHLY;BYDAY=-1FR'],
    ['every 1st of the month', 'FREQ=MONTHLY;BYMONTHDAY=1'],
    ['every 3 months', 'FREQ=MONTHLY;INTERVAL=3'],
    ['every year on march 3', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3'],
    ['yearly on the 24th of december', 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24'],
    ['every day 5 times', 'FREQ=DAILY;COUNT=5'],
    ['every week until 2026-12-31', 'FREQ=WEEKLY;UNTIL=20261231T235959Z'],
  ])('"%s" → %s', (text, expected) => {
    expect(rule(text)).toEqual({ rule: expected, from: 'due' });
  });

  it('anchors on completion when asked', () => {
    expect(rule('every 10 days after completion')).toEqual({
      rule: 'FREQ=DAILY;INTERVAL=10',
      from: 'completion',
    });
  });

  it('reports the span of the phrase so it can be cut from the title', () => {
    const text = 'Pay rent every month on the 1st at 9am';
    const match = findRecurrence(text)!;
    expect(text.slice(match.start, match.end)).toBe('every month on the 1st');
  });

  it('ignores text without a repetition', () => {
    expect(findRecurrence('Buy every ingredient')).toBeNull();
    expect(findRecurrence('Read the monthly report')?.parts.freq).toBe('MONTHLY');
  });
});
