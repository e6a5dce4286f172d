import { execFileSync } from 'node:child_process';
import { pythonTools } from '@todo/infra';
import { parseIsoDuration } from '@todo/recurrence';
import { seededRandom } from '@todo/recurrence/testing';
import { describe, expect, it } from 'vitest';
import { type ZodType, z } from 'zod';
import {
  activityQuery,
  createTaskBody,
  cursor,
  dateTime,
  description,
  listTasksQuery,
  loginBody,
  notificationIdParams,
  reminderInput,
  signupBody,
  tag,
  taskIdParams,
  text,
  title,
  updateTaskBody,
} from '../src/index.js';

// The OpenAPI document is made from these schemas and read by tools written in Python (jsonschema,
// schemathesis). Whatever a schema says in JSON Schema must be what the server's zod check decides.
const inputSchema = (schema: ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const VALIDATE = `
import json, re, sys
from jsonschema import Draft202012Validator
cases = json.load(sys.stdin)
out = []
for case in cases:
    v = Draft202012Validator(case["schema"], format_checker=Draft202012Validator.FORMAT_CHECKER)
    out.append([v.is_valid(value) for value in case["values"]])
json.dump(out, sys.stdout)
`;

const COMPILE = `
import json, re, sys
errors = []
for p in json.load(sys.stdin):
    try:
        re.compile(p)
    except re.error as e:
        errors.append(f"{p}: {e}")
json.dump(errors, sys.stdout)
`;

function python<T>(script: string, input: unknown): T {
  const { python } = pythonTools();
  return JSON.parse(execFileSync(python, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' }));
}

function patternsOf(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) patternsOf(item, into);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') into.push(value);
      else patternsOf(value, into);
    }
  }
  return into;
}

const REQUEST_SCHEMAS = {
  createTaskBody,
  updateTaskBody,
  listTasksQuery,
  signupBody,
  loginBody,
  activityQuery,
  taskIdParams,
  notificationIdParams,
};

describe('patterns of the request schemas', () => {
  const ours = [dateTime, tag, title, description, cursor, text({ max: 10 })].flatMap((s) =>
    patternsOf(inputSchema(s)),
  );
  const all = Object.values(REQUEST_SCHEMAS).flatMap((s) => patternsOf(inputSchema(s)));

  it('use no Unicode property escapes and compile as ECMA-262 regex without the u flag', () => {
    expect(all.length).toBeGreaterThan(5);
    for (const p of all) {
      expect(p).not.toMatch(/\\p\{/i);
      expect(() => new RegExp(p)).not.toThrow();
    }
  });

  it('compile with Python re', () => {
    expect(python<string[]>(COMPILE, all)).toEqual([]);
  });

  it('never end in $, which Python also matches before a trailing newline', () => {
    for (const p of ours) expect(p.endsWith('$')).toBe(false);
  });
});

const ok = true;
const no = false;
// Each value with the verdict the contract promises; the server and the JSON Schema must both give it.
const cases: [name: string, schema: ZodType, values: [unknown, boolean][]][] = [
  [
    'dateTime',
    dateTime,
    [
      ['2030-01-01T00:00:00Z', ok],
      ['2030-01-01T00:00:00+23:59', ok],
      ['2030-01-01t00:00:00.123456789-16:00', ok],
      ['2028-02-29T00:00:00Z', ok],
      ['2030-01-01T00:00:00+24:00', no],
      ['2030-01-01 00:00:00Z', no],
      ['2030-01-01T00:00:00', no],
      ['2030-01-01T00:00:00Z\n', no],
      ['1969-12-31T23:59:59Z', no],
      // On the range's first and last day, only offsets that cannot take the instant past it.
      ['1970-01-01T00:00:00Z', ok],
      ['1970-01-01T12:00:00-05:00', ok],
      ['1970-01-01T00:55:00+15:59', no],
      ['9999-12-31T23:59:59+05:00', ok],
      ['9999-12-31T23:59:59-00:01', no],
      ['10000-01-01T00:00:00Z', no],
      ['2030-02-30T00:00:00Z', no],
      ['2030-01-01T00:00:60Z', no],
      ['\u0662\u0660\u0663\u0660-01-01T00:00:00Z', no],
    ],
  ],
  [
    'tag',
    tag,
    [
      ['home', ok],
      ['Ünïcode', ok],
      ['日本', ok],
      ['a/b:c+d_e-f.g', ok],
      ['a b', no],
      ['a#b', no],
      ['a\u00a0b', no],
      ['home\n', no],
      ['', no],
      ['x'.repeat(41), no],
      ['emoji😀', no],
    ],
  ],
  [
    'title',
    title,
    [
      ['Pay rent', ok],
      ['  padded  ', ok],
      ['x'.repeat(500), ok],
      ['tab\there', no],
      ['line\nbreak', no],
      ['ok\n', no],
      ['a\u0000b', no],
      ['   ', no],
      ['\u3000', no],
      ['x'.repeat(501), no],
    ],
  ],
  [
    'description',
    description,
    [
      ['', ok],
      ['a\tb\r\nc\n', ok],
      ['bell\u0007', no],
      ['nul\u0000', no],
      ['x'.repeat(20_001), no],
    ],
  ],
  [
    'cursor',
    cursor,
    [
      ['eyJzIjoiZHVlIn0', ok],
      ['a_-b', ok],
      ['a+b/c=', no],
      ['', no],
      ['abc\n', no],
      ['x'.repeat(513), no],
    ],
  ],
  [
    'reminderInput',
    reminderInput,
    [
      [{ remindAt: '2030-01-01T00:00:00Z' }, ok],
      [{ before: 'PT15M' }, ok],
      [{}, no],
      [{ remindAt: '2030-01-01T00:00:00Z', before: 'PT15M' }, no],
      [{ before: 'PT15M', note: 'x' }, no],
      [{ before: 'P1W' }, ok],
      [{ before: 'P1DT2H30M' }, ok],
      [{ before: 'PT0S' }, ok],
      [{ before: 'P' }, no],
      [{ before: 'PT' }, no],
      [{ before: 'P1DT' }, no],
      [{ before: 'P1Y' }, no],
      [{ before: 'P1WT1H' }, no],
      [{ before: 'PT1M1H' }, no],
      [{ before: '-PT5M' }, no],
      [{ before: 'PT1.5H' }, no],
      [{ before: 'PT15M\n' }, no],
      [{ before: 'PT\u0661M' }, no],
    ],
  ],
];

describe('the server and the JSON Schema give the promised verdicts', () => {
  const verdicts = python<boolean[][]>(
    VALIDATE,
    cases.map(([, schema, table]) => ({
      schema: inputSchema(schema),
      values: table.map(([value]) => value),
    })),
  );

  it.each(cases.map((c, i) => [c[0], c, i] as const))('on %s', (_, [, schema, table], i) => {
    const promised = table.map(([, verdict]) => verdict);
    expect(table.map(([value]) => schema.safeParse(value).success)).toEqual(promised);
    expect(verdicts[i]).toEqual(promised);
  });
});

// The instants of date-times python-jsonschema (its `date-time` format is rfc3339-validator) accepts, worked
// out by Python's datetime: fields and offset read by a regex, the fraction cut to milliseconds as a JS Date
// keeps it.
const INSTANTS = `
import json, re, sys
from datetime import datetime, timedelta, timezone
FORM = re.compile(r'(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?(?:[Zz]|([+-])(\\d{2}):(\\d{2}))$')
out = []
for text in json.load(sys.stdin):
    y, mo, d, h, mi, s, frac, sign, oh, om = FORM.match(text).groups()
    offset = timedelta(hours=int(oh or 0), minutes=int(om or 0)) * (-1 if sign == '-' else 1)
    at = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=timezone(offset))
    ms = (frac or '').ljust(3, '0')[:3]
    out.append(at.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.') + ms + 'Z')
json.dump(out, sys.stdout)
`;

/** Seeded date-times around every edge RFC 3339 and our 1970–9999 range have; most valid, many just not. */
function randomDateTimes(count: number, seed: number): string[] {
  const { next, int, pick } = seededRandom(seed);
  const two = (n: number) => (next() < 0.03 ? String(n) : String(n).padStart(2, '0'));
  return Array.from({ length: count }, () => {
    const year = pick([
      1969,
      1970,
      1970,
      1971,
      2000,
      2024,
      2028,
      2030,
      2100,
      9999,
      9999,
      10000,
      int(1970, 9999),
    ]);
    const month = next() < 0.05 ? pick([0, 13]) : int(1, 12);
    const day = next() < 0.05 ? pick([0, 32]) : pick([1, 28, 29, 30, 31, int(1, 31)]);
    const hour = next() < 0.05 ? 24 : pick([0, 23, int(0, 23)]);
    const minute = next() < 0.05 ? 60 : pick([0, 59, int(0, 59)]);
    const second = next() < 0.05 ? 60 : pick([0, 59, int(0, 59)]);
    const fraction =
      next() < 0.6
        ? ''
        : `.${String(int(0, 10 ** 9))
            .padStart(int(1, 10), '0')
            .slice(0, int(1, 10))}`;
    const separator = next() < 0.05 ? pick([' ', '_']) : pick(['T', 't']);
    const offset =
      next() < 0.05
        ? pick(['', '+0100', '+1:00', 'UTC', 'Z\n'])
        : next() < 0.3
          ? pick(['Z', 'z'])
          : `${pick(['+', '-'])}${two(next() < 0.05 ? 24 : pick([0, 15, 16, 23, int(0, 23)]))}:${two(next() < 0.05 ? 60 : pick([0, 59, int(0, 59)]))}`;
    return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}${separator}${two(hour)}:${two(minute)}:${two(second)}${fraction}${offset}`;
  });
}

describe('random date-times: the server, the JSON Schema and Python agree', () => {
  const values = randomDateTimes(3_000, Number(process.env.DATE_TIME_SEED ?? 3339));
  const [schemaVerdicts] = python<boolean[][]>(VALIDATE, [{ schema: inputSchema(dateTime), values }]);
  const ours = values.map((value) => dateTime.safeParse(value));

  it('accept and refuse the same strings, about half of them valid', () => {
    const accepted = ours.filter((r) => r.success).length;
    expect(accepted).toBeGreaterThan(values.length * 0.3);
    expect(accepted).toBeLessThan(values.length * 0.8);
    const differing = values.flatMap((value, i) =>
      ours[i]!.success === schemaVerdicts![i]
        ? []
        : [{ value, server: ours[i]!.success, schema: schemaVerdicts![i] }],
    );
    expect(differing.slice(0, 5), `${differing.length} of ${values.length} differ`).toEqual([]);
  });

  it('read an accepted one as the instant Python reads', () => {
    const accepted = values.filter((_, i) => ours[i]!.success);
    const instants = python<string[]>(INSTANTS, accepted);
    const read = ours.flatMap((r) => (r.success ? [r.data] : []));
    const differing = accepted.flatMap((value, i) =>
      read[i] === instants[i] ? [] : [{ value, server: read[i], python: instants[i] }],
    );
    expect(differing.slice(0, 5), `${differing.length} of ${accepted.length} differ`).toEqual([]);
  });
});

describe('random reminder durations: the server, the JSON Schema and the duration parser agree', () => {
  const { next, int, pick } = seededRandom(Number(process.env.DURATION_SEED ?? 8601));
  const PIECES = ['P', 'T', '1', '15', '0', '1234567', 'W', 'D', 'H', 'M', 'S', 'Y', '.5', '-', ' ', '\n'];
  const values = Array.from({ length: 3_000 }, () => {
    // Mostly well-formed ones with a slip here and there, some pure noise.
    if (next() < 0.2) return Array.from({ length: int(1, 6) }, () => pick(PIECES)).join('');
    const part = (unit: string) => (next() < 0.5 ? `${int(0, 399)}${unit}` : '');
    const time = `${part('H')}${part('M')}${part('S')}`;
    const text = next() < 0.2 ? `P${part('W')}` : `P${part('D')}${next() < 0.8 ? `T${time}` : ''}`;
    return next() < 0.15 ? text.replace(/[0-9A-Z]/, pick(PIECES)) : text;
  });
  const bodies = values.map((before) => ({ before }));
  const [schemaVerdicts] = python<boolean[][]>(VALIDATE, [
    { schema: inputSchema(reminderInput), values: bodies },
  ]);

  it('accept the same durations: what parseIsoDuration reads, up to any length', () => {
    const differing = values.flatMap((before, i) => {
      const parsed = parseIsoDuration(before);
      const readable = parsed.ok || parsed.message.startsWith('must be at most');
      const server = reminderInput.safeParse(bodies[i]).success;
      return server === readable && server === schemaVerdicts![i]
        ? []
        : [{ before, server, readable, schema: schemaVerdicts![i] }];
    });
    expect(values.filter((before) => parseIsoDuration(before).ok).length).toBeGreaterThan(
      values.length * 0.3,
    );
    expect(differing.slice(0, 5), `${differing.length} of ${values.length} differ`).toEqual([]);
  });
});
