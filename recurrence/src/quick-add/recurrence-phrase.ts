import {
  defaultRecurrence,
  type RecurrenceModel,
  WEEKDAYS,
  type Weekday,
} from '../recurrence/recurrence-model.js';

/** Finds an English repetition phrase ("every 2 weeks on mon and wed") in free text. */

export interface RecurrenceMatch {
  model: RecurrenceModel;
  /** Character span of the phrase in the input, so the caller can cut it out of the title. */
  start: number;
  end: number;
}

interface Token {
  word: string;
  start: number;
  end: number;
}

const DAY_WORDS: Record<string, Weekday> = {};
for (const [i, names] of [
  ['mo', 'mon', 'monday'],
  ['tu', 'tue', 'tues', 'tuesday'],
  ['we', 'wed', 'weds', 'wednesday'],
  ['th', 'thu', 'thur', 'thurs', 'thursday'],
  ['fr', 'fri', 'friday'],
  ['sa', 'sat', 'saturday'],
  ['su', 'sun', 'sunday'],
].entries()) {
  for (const name of names) {
    DAY_WORDS[name] = WEEKDAYS[i]!;
    if (name.length > 3) DAY_WORDS[`${name}s`] = WEEKDAYS[i]!;
  }
}
const MONTH_WORDS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const NUMBER_WORDS = [
  '',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];
const ORDINAL_WORDS = ['', 'first', 'second', 'third', 'fourth'];
const TRIGGERS = new Set([
  'every',
  'each',
  'daily',
  'weekly',
  'monthly',
  'yearly',
  'annually',
  'biweekly',
  'fortnightly',
]);

/** The first repetition phrase in `text`, or null when there is none. */
export function findRecurrence(text: string): RecurrenceMatch | null {
  const tokens = [...text.matchAll(/[\p{L}\p{N}-]+/gu)].map((m) => ({
    word: m[0].toLowerCase(),
    start: m.index,
    end: m.index + m[0].length,
  }));
  for (let i = 0; i < tokens.length; i++) {
    if (!TRIGGERS.has(tokens[i]!.word)) continue;
    const parsed = new PhraseParser(tokens, i).parse();
    if (parsed) return { model: parsed.model, start: tokens[i]!.start, end: tokens[parsed.next - 1]!.end };
  }
  return null;
}

class PhraseParser {
  private pos: number;
  private readonly model = defaultRecurrence();

  constructor(
    private readonly tokens: Token[],
    start: number,
  ) {
    this.pos = start;
  }

  parse(): { model: RecurrenceModel; next: number } | null {
    const head = this.take();
    const m = this.model;
    if (head === 'daily') m.frequency = 'daily';
    else if (head === 'weekly' || head === 'biweekly' || head === 'fortnightly') {
      m.frequency = 'weekly';
      if (head !== 'weekly') m.interval = 2;
      if (this.peek() === 'on') this.onWeekdays();
    } else if (head === 'monthly') {
      m.frequency = 'monthly';
      if (this.peek() === 'on') this.onMonthDay();
    } else if (head === 'yearly' || head === 'annually') {
      m.frequency = 'yearly';
      if (this.peek() === 'on') this.onYearDate();
    } else if (!this.every()) return null;
    this.tail();
    return { model: m, next: this.pos };
  }

  /** After "every"/"each": an optional interval, then a unit, weekday list or day of the month. */
  private every(): boolean {
    const m = this.model;
    const n = this.peek();
    if (n === 'other') {
      m.interval = 2;
      this.pos++;
    } else if (n !== undefined && cardinal(n) !== null && !this.isOrdinalAt(this.pos)) {
      m.interval = cardinal(n)!;
      this.pos++;
    }
    const unit = this.peek();
    if (unit === undefined) return false;
    if (unit === 'day' || unit === 'days') {
      this.pos++;
      m.frequency = 'daily';
    } else if (unit === 'weekday' || unit === 'weekdays') {
      this.pos++;
      m.frequency = 'weekly';
      m.weekdays = ['MO', 'TU', 'WE', 'TH', 'FR'];
    } else if (unit === 'weekend' || unit === 'weekends') {
      this.pos++;
      m.frequency = 'weekly';
      m.weekdays = ['SA', 'SU'];
    } else if (unit === 'week' || unit === 'weeks') {
      this.pos++;
      m.frequency = 'weekly';
      if (this.peek() === 'on') this.onWeekdays();
    } else if (unit === 'month' || unit === 'months') {
      this.pos++;
      m.frequency = 'monthly';
      if (this.peek() === 'on') this.onMonthDay();
    } else if (unit === 'year' || unit === 'years') {
      this.pos++;
      m.frequency = 'yearly';
      if (this.peek() === 'on') this.onYearDate();
    } else if (DAY_WORDS[unit]) {
      m.frequency = 'weekly';
      m.weekdays = this.weekdayList();
    } else if (this.isOrdinalAt(this.pos) || unit === 'last') {
      // "every 1st of the month", "every last day of the month"
      m.frequency = 'monthly';
      m.monthly = this.monthDay();
      if (!m.monthly) return false;
      this.skip('of', 'the', 'month');
    } else return false;
    return true;
  }

  private onWeekdays(): void {
    const save = this.pos;
    this.pos++;
    const days = this.weekdayList();
    if (days.length > 0) this.model.weekdays = days;
    else this.pos = save;
  }

  private weekdayList(): Weekday[] {
    const days: Weekday[] = [];
    while (this.peek() !== undefined) {
      const day = DAY_WORDS[this.peek()!];
      if (day) {
        days.push(day);
        this.pos++;
      } else if (
        days.length > 0 &&
        this.peek() === 'and' &&
        DAY_WORDS[this.tokens[this.pos + 1]?.word ?? '']
      ) {
        this.pos++;
      } else break;
    }
    return [...new Set(days)];
  }

  private onMonthDay(): void {
    const save = this.pos;
    this.pos++;
    if (this.peek() === 'the') this.pos++;
    const day = this.monthDay();
    if (day) this.model.monthly = day;
    else this.pos = save;
  }

  /** "1st", "15th", "day 15", "last day", "2nd tuesday", "last friday". */
  private monthDay(): RecurrenceModel['monthly'] {
    const word = this.peek();
    if (word === undefined) return null;
    if (word === 'day' && cardinal(this.tokens[this.pos + 1]?.word ?? '') !== null) {
      this.pos++;
      const day = cardinal(this.take()!)!;
      return day >= 1 && day <= 31 ? { kind: 'day', day } : null;
    }
    const nth = word === 'last' ? -1 : ordinalValue(word);
    if (nth === null) return null;
    const weekday = DAY_WORDS[this.tokens[this.pos + 1]?.word ?? ''];
    if (weekday && (nth === -1 || nth <= 4)) {
      this.pos += 2;
      return { kind: 'weekday', nth: nth as 1 | 2 | 3 | 4 | -1, weekday };
    }
    this.pos++;
    if (this.peek() === 'day') this.pos++;
    if (nth === -1) return { kind: 'last-day' };
    return nth >= 1 && nth <= 31 ? { kind: 'day', day: nth } : null;
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
    if (month !== null && day !== null && day <= 31) this.model.yearly = { month, day };
    else this.pos = save;
  }

  /** Optional endings: "3 times", "for 3 times", "until 2026-12-31", "from completion". */
  private tail(): void {
    for (;;) {
      const save = this.pos;
      if (this.peek() === 'for') this.pos++;
      const count = cardinal(this.peek() ?? '');
      if (count !== null && this.tokens[this.pos + 1]?.word === 'times') {
        this.pos += 2;
        this.model.end = { kind: 'count', count };
        continue;
      }
      this.pos = save;
      if (this.peek() === 'until') {
        const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(this.tokens[this.pos + 1]?.word ?? '');
        if (date) {
          this.pos += 2;
          this.model.end = { kind: 'until', date: date[0] };
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
        this.model.from = 'completion';
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

function cardinal(word: string): number | null {
  if (/^\d{1,3}$/.test(word)) return Number(word) || null;
  const i = NUMBER_WORDS.indexOf(word);
  return i > 0 ? i : null;
}

function ordinalValue(word: string): number | null {
  const m = /^(\d{1,2})(st|nd|rd|th)$/.exec(word);
  if (m) return Number(m[1]);
  const i = ORDINAL_WORDS.indexOf(word);
  return i > 0 ? i : null;
}

function dayNumber(word: string | undefined): number | null {
  if (word === undefined) return null;
  if (/^\d{1,2}$/.test(word)) return Number(word);
  return ordinalValue(word);
}

function monthValue(word: string | undefined): number | null {
  if (!word || word.length < 3) return null;
  const i = MONTH_WORDS.indexOf(word.slice(0, 3));
  return i >= 0 ? i + 1 : null;
}
