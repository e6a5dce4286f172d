import { description, tag, title } from '@todo/contract';

/** A field read from a file: its value, or why the row cannot be imported. */
export type FieldResult = { ok: true; value: string } | { ok: false; reason: string };

function firstMessage(error: { issues: { message: string }[] }): string {
  return error.issues[0]?.message ?? 'is invalid';
}

/** A title from a file, under the same rules as the API's (length, no control characters, not blank). */
export function readTitle(raw: string, column: string): FieldResult {
  const parsed = title.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, reason: `${column} ${firstMessage(parsed.error)}` };
}

export function readDescription(raw: string, column: string): FieldResult {
  const parsed = description.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, reason: `${column} ${firstMessage(parsed.error)}` };
}

/** Labels or categories as tags: the ones a tag can be, the rest named for the report; at most 20. */
export function readTags(raw: readonly string[]): { tags: string[]; refused: string[] } {
  const tags: string[] = [];
  const refused: string[] = [];
  for (const name of raw) {
    const parsed = tag.safeParse(name);
    if (parsed.success && tags.length < 20) {
      if (!tags.includes(parsed.data)) tags.push(parsed.data);
    } else refused.push(name);
  }
  return { tags, refused };
}

/** A value quoted for a report, shortened: a hostile file must not make the report huge. */
export function quoted(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the report leaves out.
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return JSON.stringify(clean.length > 60 ? `${clean.slice(0, 57)}...` : clean);
}

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** An instant the API accepts anywhere (1970–9999, as the contract's date-time), as ISO 8601 UTC. */
export function instantInRange(date: Date): string | undefined {
  const t = date.getTime();
  return t >= EARLIEST && t <= LATEST ? date.toISOString() : undefined;
}
