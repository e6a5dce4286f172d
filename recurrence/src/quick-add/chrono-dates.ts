import { casual } from 'chrono-node/en';
import type { DateFinder } from './parse-quick-add.js';

const PART_OF_DAY = /\b(morning|noon|afternoon|evening|tonight|night|midnight)\b/i;

/** chrono-node behind the DateFinder interface; heavy, so the console imports this module lazily. */
export const findDate: DateFinder = (text, reference) => {
  const [result] = casual.parse(text, reference, { forwardDate: true });
  if (!result) return null;
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
};
