import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, formatDuration, formatUtcOffset, joinLines } from './ics-lines.js';

const octets = (text: string) => new TextEncoder().encode(text).length;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('escapeText', () => {
  it.each([
    ['plain text', 'Buy milk', 'Buy milk'],
    ['comma', 'milk, eggs', 'milk\\, eggs'],
    ['semicolon', 'a; b', 'a\\; b'],
    ['backslash', 'C:\\tmp', 'C:\\\\tmp'],
    ['LF', 'one\ntwo', 'one\\ntwo'],
    ['CRLF', 'one\r\ntwo', 'one\\ntwo'],
    ['lone CR', 'one\rtwo', 'one\\ntwo'],
    ['a backslash before n stays two characters', '\\n', '\\\\n'],
    ['other control characters are dropped', 'a\u0000b\u001bc\u007f', 'abc'],
    ['tab is kept', 'a\tb', 'a\tb'],
    ['colon needs no escape', 'Re: plan', 'Re: plan'],
  ])('%s', (_name, input, escaped) => {
    expect(escapeText(input)).toBe(escaped);
  });
});

describe('foldLine', () => {
  it('leaves a line of 75 octets alone', () => {
    expect(foldLine('x'.repeat(75))).toEqual(['x'.repeat(75)]);
  });

  it('folds the 76th octet onto a continuation line starting with a space', () => {
    expect(foldLine('x'.repeat(76))).toEqual(['x'.repeat(75), ' x']);
  });

  it.each([
    ['two-byte characters', 'é'.repeat(100)],
    ['three-byte characters', '日本語のタスク'.repeat(20)],
    ['four-byte characters', '🎉'.repeat(60)],
    ['mixed widths', `SUMMARY:${'a🎉é日'.repeat(30)}`],
  ])('never splits %s and keeps every line within 75 octets', (_name, line) => {
    const lines = foldLine(line);
    expect(lines.length).toBeGreaterThan(1);
    for (const physical of lines) {
      expect(octets(physical)).toBeLessThanOrEqual(75);
      expect(LONE_SURROGATE.test(physical)).toBe(false);
    }
    expect(lines.map((physical, i) => (i === 0 ? physical : physical.slice(1))).join('')).toBe(line);
  });
});

describe('joinLines', () => {
  it('ends every line, the last included, with CRLF', () => {
    expect(joinLines(['A', 'B'])).toBe('A\r\nB\r\n');
  });
});

describe('formatDuration', () => {
  const S = 1000;
  it.each([
    [0, 'PT0S'],
    [15 * 60 * S, 'PT15M'],
    [2 * 3600 * S, 'PT2H'],
    [90 * S, 'PT1M30S'],
    [3600 * S + 30 * S, 'PT1H0M30S'],
    [86_400 * S, 'P1D'],
    [86_400 * S + 2.5 * 3600 * S, 'P1DT2H30M'],
    [7 * 86_400 * S, 'P1W'],
    [8 * 86_400 * S, 'P8D'],
  ])('%i ms → %s', (milliseconds, text) => {
    expect(formatDuration(milliseconds)).toBe(text);
  });

  it('puts the sign in front for triggers before the start', () => {
    expect(formatDuration(15 * 60 * S, '-')).toBe('-PT15M');
  });
});

describe('formatUtcOffset', () => {
  it.each([
    [0, '+0000'],
    [3_600_000, '+0100'],
    [-5 * 3_600_000, '-0500'],
    [5.5 * 3_600_000, '+0530'],
    [-(3 * 3600 + 30 * 60) * 1000, '-0330'],
    [(1 * 3600 + 15) * 1000, '+010015'],
  ])('%i ms → %s', (milliseconds, text) => {
    expect(formatUtcOffset(milliseconds)).toBe(text);
  });
});
