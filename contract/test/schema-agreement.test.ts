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

const cases: [name: string, schema: ZodType, values: unknown[]][] = [
  [
    'dateTime',
    dateTime,
    [
      '2030-01-01T00:00:00Z',
      '2030-01-01T00:00:00+23:59',
      '2030-01-01t00:00:00.123456789-16:00',
      '2030-01-01T00:00:00+24:00',
      '2030-01-01 00:00:00Z',
      '2030-01-01T00:00:00',
      '2030-01-01T00:00:00Z\n',
      '1969-12-31T23:59:59Z',
      '10000-01-01T00:00:00Z',
      '2030-02-30T00:00:00Z',
      '2028-02-29T00:00:00Z',
      '2030-01-01T00:00:60Z',
      '\u0662\u0660\u0663\u0660-01-01T00:00:00Z',
    ],
  ],
  [
    'tag',
    tag,
    [
      'home',
      'Ünïcode',
      '日本',
      'a/b:c+d_e-f.g',
      'a b',
      'a#b',
      'a\u00a0b',
      'home\n',
      '',
      'x'.repeat(41),
      'emoji😀',
    ],
  ],
  [
    'title',
    title,
    [
      'Pay rent',
      '  padded  ',
      'tab\there',
      'line\nbreak',
      'ok\n',
      'a\u0000b',
      '   ',
      '\u3000',
      'x'.repeat(501),
    ],
  ],
  ['description', description, ['', 'a\tb\r\nc\n', 'bell\u0007', 'nul\u0000', 'x'.repeat(20_001)]],
  ['cursor', cursor, ['eyJzIjoiZHVlIn0', 'a_-b', 'a+b/c=', '', 'abc\n', 'x'.repeat(513)]],
  [
    'reminderInput',
    reminderInput,
    [
      { remindAt: '2030-01-01T00:00:00Z' },
      { before: 'PT15M' },
      {},
      { remindAt: '2030-01-01T00:00:00Z', before: 'PT15M' },
      { before: 'PT15M', note: 'x' },
    ],
  ],
];

describe('JSON Schema and the server agree', () => {
  const verdicts = python<boolean[][]>(
    VALIDATE,
    cases.map(([, schema, values]) => ({ schema: inputSchema(schema), values })),
  );

  it.each(cases.map((c, i) => [c[0], c, i] as const))('on %s', (_, [, schema, values], i) => {
    const server = values.map((value) => schema.safeParse(value).success);
    expect(verdicts[i]).toEqual(server);
  });
});
