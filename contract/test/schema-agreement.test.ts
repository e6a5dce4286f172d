import { execFileSync } from 'node:child_process';
import { pythonTools } from '@todo/infra';
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
