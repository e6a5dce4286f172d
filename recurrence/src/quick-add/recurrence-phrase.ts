/** Finds an English repetition phrase ("every 2 weeks on mon and wed") in free text, as RRULE parts. */
import { newRuleParts, type RuleParts, WEEKDAYS, type Weekday, type WeekdaySpec } from '../rule-parts.js';
import { cardinal, DAY_WORDS, dayNumber, monthValue, ordinalValue, TRIGGERS } from './phrase-words.js';

export interface RecurrenceMatch {
  parts: RuleParts;
  /** "after completion" in the phrase counts the next one from completion. */
  from: 'due' | 'completion';
  /** Character span of the phrase in the input, so the caller can cut it out of the title. */
  start: number;
  end: number;
}

interface Token {
  word: string;
  start: number;
  end: number;
}

/** The first repetition phrase in `text`, or null when there is none. */
export function findRecurrence(text: string): RecurrenceMatch | null {
  const tokens = [...text.matchAll(/[\p{L}\p{N}-]+/gu)].map((m) => ({
    word: m[0].toLowerCase(),
    start: m.index,
    end: m.index + m[0].length,
  }));
  for (let i = 0; i < tokens.length; i++) {
    if (!TRIGGERS.has(tokens[i]!.word)) continue;
    const parser = new PhraseParser(tokens, i);
    if (parser.parse()) {
      const { parts, from } = parser;
      return { parts, from, start: tokens[i]!.start, end: tokens[parser.pos - 1]!.end };
    }
  }
  return null;
}

const EVERY_UNIT: Record<string, RuleParts['freq']> = {
  day: 'DAILY',
  days: 'DAILY',
  week: 'WEEKLY',
  weeks: 'WEEKLY',
  month: 'MONTHLY',
  months: 'MONTHLY',
  year: 'YEARLY',
  years: 'YEARLY',
};
const WORKDAYS = WEEKDAYS.slice(0, 5);

class PhraseParser {
  pos: number;
  readonly parts = newRuleParts('WEEKLY');
  from: 'due' | 'completion' = 'due';

  constructor(
    private readonly tokens: Token[],
    start: number,
  ) {
    this.pos = start;
  }

  parse(): boolean {
    const head = this.take();
    const p = this.parts;
    if (head === 'daily') p.freq = 'DAILY';
    else if (head === 'weekly' || head === 'biweekly' || head === 'fortnightly') {
      p.freq = 'WEEKLY';
      if (head !== 'weekly') p.interval = 2;
      if (this.peek() === 'on') this.onWeekdays();
    } else if (head === 'monthly') {
      p.freq = 'MONTHLY';
      if (this.peek() === 'on') this.onMonthDay();
    } else if (head === 'yearly' || head === 'annually') {
      p.freq = 'YEARLY';
      if (this.peek() === 'on') this.onYearDate();
    } else if (!this.every()) return false;
    this.tail();
    return true;
  }

  /** After "every"/"each": an optional interval, then a unit, weekday list or day of the month. */
  private every(): boolean {
    const p = this.parts;
    const n = this.peek();
    if (n === 'other') {
      p.interval = 2;
      this.pos++;
    } else if (n !== undefined && cardinal(n) !== null && !this.isOrdinalAt(this.pos)) {
      p.interval = cardinal(n)!;
      this.pos++;
    }
    const unit = this.peek();
    if (unit === undefined) return false;
    const freq = EVERY_UNIT[unit];
    if (freq) {
      this.pos++;
      p.freq = freq;
      if (this.peek() === 'on') {
        if (freq === 'WEEKLY') this.onWeekdays();
        else if (freq === 'MONTHLY') this.onMonthDay();
        else if (freq === 'YEARLY') this.onYearDate();
      }
    } else if (unit === 'weekday' || unit === 'weekdays' || unit === 'weekend' || unit === 'weekends') {
      this.pos++;
      p.freq = 'WEEKLY';
      p.byDay = (unit.startsWith('weekday') ? WORKDAYS : WEEKDAYS.slice(5)).map((weekday) => ({
        weekday,
      }));
    } else if (DAY_WORDS[unit]) {
      p.freq = 'WEEKLY';
      p.byDay = this.weekdayList();
    } else if (this.isOrdinalAt(this.pos) || unit === 'last') {
      // "every 1st of the month", "every last day of the month"
      p.freq = 'MONTHLY';
      if (!this.monthDay()) return false;
      this.skip('of', 'the', 'month');
    } else return false;
    return true;
  }

  private onWeekdays(): void {
    const save = this.pos;
    this.pos++;
    const days = this.weekdayList();
    if (days.length > 0) this.parts.byDay = days;
    else this.pos = save;
  }

  /** Weekdays in RRULE order, each once. */
  private weekdayList(): WeekdaySpec[] {
    const days = new Set<Weekday>();
    while (this.peek() !== undefined) {
      const day = DAY_WORDS[this.peek()!];
      if (day) {
        days.add(day);
        this.pos++;
      } else if (days.size > 0 && this.peek() === 'and' && DAY_WORDS[this.tokens[this.pos + 1]?.word ?? '']) {
        this.pos++;
      } else break;
    }
    return WEEKDAYS.filter((day) => days.has(day)).map((weekday) => ({ weekday }));
  }

  private onMonthDay(): void {
    const save = this.pos;
    this.pos++;
    if (this.peek() === 'the') this.pos++;
    if (!this.monthDay()) this.pos = save;
  }

  /** "1st", "15th", "day 15", "last day", "2nd tuesday", "last friday"; false when none is there. */
  private monthDay(): boolean {
    const p = this.parts;
    const word = this.peek();
    if (word === undefined) return false;
    if (word === 'day' && cardinal(this.tokens[this.pos + 1]?.word ?? '') !== null) {
      this.pos++;
      const day = cardinal(this.take()!)!;
      if (day < 1 || day > 31) return false;
      p.byMonthDay = [day];
      return true;
    }
    const nth = word === 'last' ? -1 : ordinalValue(word);
    if (nth === null) return false;
    const weekday = DAY_WORDS[this.tokens[this.pos + 1]?.word ?? ''];
    if (weekday && (nth === -1 || nth <= 4)) {
      this.pos += 2;
      p.byDay = [{ weekday, n: nth }];
      return true;
    }
    this.pos++;
    if (this.peek() === 'day') this.pos++;
    if (nth !== -1 && (nth < 1 || nth > 31)) return false;
    p.byMonthDay = [nth];
    return true;
  }

  /** "on march 3", "on 3 march", "on the 3rd of march". */
  private onYearDate(): void {
    const save = this.pos;
    this.pos++;
    if (this.peek() === 'the') this.pos++;
    let month = monthValue(this.peek());
    let day: number | null = null;
    if (month !== null) {
      this.pos++;
      day = dayNumber(this.take());
    } else {
      day = dayNumber(this.take());
      if (this.peek() === 'of') this.pos++;
      month = monthValue(this.take());
    }
    if (month !== null && day !== null && day <= 31) {
      this.parts.byMonth = [month];
      this.parts.byMonthDay = [day];
    } else this.pos = save;
  }

  /** Optional endings: "3 times", "for 3 times", "until 2026-12-31", "from completion". */
  private tail(): void {
    for (;;) {
      const save = this.pos;
      if (this.peek() === 'for') this.pos++;
      const count = cardinal(this.peek() ?? '');
      if (count !== null && this.tokens[this.pos + 1]?.word === 'times') {
        this.pos += 2;
        this.parts.count = count;
        this.parts.until = undefined;
        continue;
      }
      this.pos = save;
      if (this.peek() === 'until') {
        const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(this.tokens[this.pos + 1]?.word ?? '');
        if (date) {
          this.pos += 2;
          const [year, month, day] = date.slice(1).map(Number) as [number, number, number];
          // In UTC, as RFC 5545 wants beside a zoned start: the last day counts until its end in UTC.
          this.parts.until = { wallClock: { year, month, day, hour: 23, minute: 59, second: 59 }, utc: true };
          this.parts.count = undefined;
          continue;
        }
      }
      const w = this.peek();
      const next = this.tokens[this.pos + 1]?.word;
      if (
        (w === 'from' || w === 'after') &&
        (next === 'completion' || next === 'done' || next === 'completing')
      ) {
        this.pos += 2;
        this.from = 'completion';
        continue;
      }
      return;
    }
  }

  private isOrdinalAt(i: number): boolean {
    return ordinalValue(this.tokens[i]?.word ?? '') !== null && !/^\d+$/.test(this.tokens[i]?.word ?? '');
  }

  private peek(): string | undefined {
    return this.tokens[this.pos]?.word;
  }

  private take(): string | undefined {
    return this.tokens[this.pos++]?.word;
  }

  private skip(...words: string[]): void {
    for (const w of words) if (this.peek() === w) this.pos++;
  }
}
