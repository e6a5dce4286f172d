import { casual } from 'chrono-node/en';
import { findMayPhrase, isDateInContext, withLead } from './date-context.js';
import type { DateFinder, FoundDate } from './parse-quick-add.js';

const PART_OF_DAY = /\b(morning|noon|afternoon|evening|tonight|night|midnight)\b/i;

/**
 * chrono-node behind the DateFinder interface; heavy, so the console imports this module lazily. The first
 * match that is a date in its context wins: "Email March about the report on Friday" is due Friday.
 */
export const findDate: DateFinder = (text, reference) => {
  const found = casual
    .parse(text, reference, { forwardDate: true })
    .map((result): FoundDate => {
      const s = result.start;
      return {
        index: result.index,
        text: result.text,
        wall: {
          year: s.get('year') ?? reference.getFullYear(),
          month: s.get('month') ?? reference.getMonth() + 1,
          day: s.get('day') ?? reference.getDate(),
          hour: s.get('hour') ?? 0,
          minute: s.get('minute') ?? 0,
        },
        knownDay: s.isCertain('day') || s.isCertain('weekday'),
        // chrono only implies the hour of "evening" or "tomorrow morning", but the user did name a time of day.
        knownTime: s.isCertain('hour') || PART_OF_DAY.test(result.text),
      };
    })
    .find((date) => isDateInContext(text, date));
  const may = findMayPhrase(text, reference);
  if (may && (!found || may.index < found.index)) {
    const { index, text: phrase, year, month, day } = may;
    return {
      index,
      text: phrase,
      wall: { year, month, day, hour: 0, minute: 0 },
      knownDay: false,
      knownTime: false,
    };
  }
  return found ? withLead(text, found) : null;
};
