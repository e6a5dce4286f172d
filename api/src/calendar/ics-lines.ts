/** RFC 5545 content-line mechanics: TEXT escaping, folding, date-time and duration values. */
import type { WallClock } from '@todo/recurrence';

/**
 * Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines, so a title can never
 * end its line and start a property or component of its own. Other control characters are not allowed in
 * TEXT and are dropped.
 */
export function escapeText(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
  let result = '';
  for (const char of escaped) if (isAllowedInText(char.charCodeAt(0))) result += char;
  return result;
}

/** TEXT allows HTAB but no other control character (RFC 5545 §3.1, CONTROL). */
function isAllowedInText(code: number): boolean {
  return code === 0x09 || (code >= 0x20 && code !== 0x7f);
}

const MAX_OCTETS = 75;

/** The length of a code point in UTF-8. */
function utf8Length(char: string): number {
  const code = char.codePointAt(0)!;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/**
 * Folds a content line into lines of at most 75 octets (RFC 5545 §3.1); each continuation starts with a
 * space, which counts towards its 75. Splits only between code points, never inside a UTF-8 sequence.
 */
export function foldLine(line: string): string[] {
  if (line.length <= MAX_OCTETS / 4) return [line]; // even four octets per character fit
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char);
    if (octets + size > MAX_OCTETS) {
      lines.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  lines.push(current);
  return lines;
}

/** Joins content lines into an iCalendar stream: folded, CRLF-terminated. */
export function joinLines(lines: readonly string[]): string {
  return `${lines.flatMap(foldLine).join('\r\n')}\r\n`;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** A local DATE-TIME value ("20260328T090000"), used with a TZID parameter. */
export function formatLocalDateTime(wall: WallClock): string {
  return `${pad(wall.year, 4)}${pad(wall.month)}${pad(wall.day)}T${pad(wall.hour)}${pad(wall.minute)}${pad(wall.second)}`;
}

/** A UTC DATE-TIME value ("20260328T090000Z"). */
export function formatUtcDateTime(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** A UTC offset value ("+0100", "-0430"; "+013045" with seconds). */
export function formatUtcOffset(milliseconds: number): string {
  const sign = milliseconds < 0 ? '-' : '+';
  const totalSeconds = Math.round(Math.abs(milliseconds) / 1000);
  const seconds = totalSeconds % 60;
  const hhmm = `${pad(Math.floor(totalSeconds / 3600))}${pad(Math.floor(totalSeconds / 60) % 60)}`;
  return `${sign}${hhmm}${seconds === 0 ? '' : pad(seconds)}`;
}

/**
 * A DURATION value in RFC 5545's stricter grammar (§3.3.6): whole weeks alone, otherwise days then
 * hours, minutes, seconds with no gaps in the time units ("P1DT2H0M30S", not ISO 8601's "P1DT2H30S").
 */
export function formatDuration(milliseconds: number, sign: '' | '-' = ''): string {
  const totalSeconds = Math.round(Math.abs(milliseconds) / 1000);
  if (totalSeconds === 0) return 'PT0S';
  const week = 7 * 86_400;
  if (totalSeconds % week === 0) return `${sign}P${totalSeconds / week}W`;
  const days = Math.floor(totalSeconds / 86_400);
  const [hours, minutes, seconds] = [
    Math.floor(totalSeconds / 3600) % 24,
    Math.floor(totalSeconds / 60) % 60,
    totalSeconds % 60,
  ];
  let time = '';
  if (hours > 0)
    time = `${hours}H${minutes > 0 || seconds > 0 ? `${minutes}M` : ''}${seconds > 0 ? `${seconds}S` : ''}`;
  else if (minutes > 0) time = `${minutes}M${seconds > 0 ? `${seconds}S` : ''}`;
  else if (seconds > 0) time = `${seconds}S`;
  return `${sign}P${days > 0 ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
