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
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return JSON.stringify(clean.length > 60 ? `${clean.slice(0, 57)}...` : clean);
}
