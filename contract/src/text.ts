import { z } from 'zod';
import { wholeStringPattern } from './whole-string-pattern.js';

// The OpenAPI document carries these patterns, so its readers check exactly what the server checks.
const NO_CONTROL = wholeStringPattern('[^\\x00-\\x1f\\x7f]*');
// Multi-line text may hold tab, line feed and carriage return.
const NO_CONTROL_BUT_LINES = wholeStringPattern('[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*');
// At least one character that String.prototype.trim keeps: what "not blank" means for a trimmed field.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters and spaces are what blank means.
const NOT_BLANK = /[^\x00-\x20\x7f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

export interface TextRules {
  /** Longest accepted input, in UTF-16 code units, before trimming. */
  max: number;
  /** Allow tab, line feed and carriage return (a description); other control characters are always refused. */
  multiline?: boolean;
  /** Trim surrounding white space from the value the server keeps (default true). */
  trim?: boolean;
  /** Refuse an empty or all-white-space value. */
  nonBlank?: boolean;
}

/**
 * A free-text field: bounded, free of control characters (PostgreSQL text cannot hold NUL, and the others are
 * never intended), optionally trimmed and non-blank. Every rule is checked on the input as sent, so the JSON
 * Schema (maxLength and patterns) describes exactly what is accepted.
 */
export function text({ max, multiline = false, trim = true, nonBlank = false }: TextRules) {
  let schema = z
    .string()
    .max(max, `must be at most ${max.toLocaleString('en-US')} characters`)
    .regex(multiline ? NO_CONTROL_BUT_LINES : NO_CONTROL, 'must not contain control characters');
  if (nonBlank) schema = schema.regex(NOT_BLANK, 'must not be empty');
  return trim ? schema.trim() : schema;
}
