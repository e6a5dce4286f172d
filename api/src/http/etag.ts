import { BadRequestError } from './errors.js';

/** Strong ETag of a task version. */
export const etagOf = (version: number): string => `"${version}"`;

/** One entity-tag of a list (RFC 9110 §8.8.3): its opaque value and whether it is weak. */
interface EntityTag {
  weak: boolean;
  opaque: string;
}

/** A precondition on the task's current version: `*` (any current task) or a list of entity-tags. */
export type VersionPrecondition = '*' | readonly EntityTag[];

// The header this parser accepts, as one pattern for the OpenAPI document too: `*`, or a comma list holding at
// least one entity-tag (empty elements allowed), with spaces or tabs around them (RFC 9110 OWS).
// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text: a comma may stand inside a tag.
const LISTED_TAG = '[ \\t]*(?:W[/])?"[\\x21\\x23-\\x7E\\x80-\\xFF]*"[ \\t]*';
export const PRECONDITION_PATTERN = `^(?:[ \\t]*[*][ \\t]*|(?:[ \\t]*,)*${LISTED_TAG}(?:,(?:${LISTED_TAG}|[ \\t]*))*)(?![\\s\\S])`;
const PRECONDITION = new RegExp(PRECONDITION_PATTERN);
// Within a header that matched the grammar every quoted string is one tag (etagc excludes DQUOTE).
const ENTITY_TAGS = /(W\/)?"([\x21\x23-\x7E\x80-\xFF]*)"/g;

/** Parses If-Match or If-None-Match: undefined when absent; a 400 naming the header when it is not RFC 9110. */
export function parsePrecondition(header: string | undefined, name: string): VersionPrecondition | undefined {
  if (header === undefined) return undefined;
  if (!PRECONDITION.test(header)) {
    throw new BadRequestError(`${name} must be "*" or a list of entity-tags such as "3".`, [
      { path: name, message: 'is not a list of entity-tags' },
    ]);
  }
  if (header.trim() === '*') return '*';
  return [...header.matchAll(ENTITY_TAGS)].map((m) => ({ weak: m[1] !== undefined, opaque: m[2]! }));
}

/**
 * If-Match by strong comparison (RFC 9110 §13.1.1): `*` matches any current task, a list matches when any
 * strong tag is the current version's; a weak tag never matches, so it cannot guard a write.
 */
export function ifMatchAllows(precondition: VersionPrecondition | undefined, version: number): boolean {
  if (precondition === undefined || precondition === '*') return true;
  return precondition.some((tag) => !tag.weak && tag.opaque === String(version));
}

/**
 * If-None-Match by weak comparison (RFC 9110 §13.1.2): true when the client already has this version (a task's
 * number, or the opaque value of another resource's tag). It only saves a transfer, so a header we cannot read
 * is ignored rather than refused.
 */
export function ifNoneMatchHits(header: string | undefined, version: number | string): boolean {
  let precondition: VersionPrecondition | undefined;
  try {
    precondition = parsePrecondition(header, 'If-None-Match');
  } catch {
    return false;
  }
  if (precondition === undefined) return false;
  if (precondition === '*') return true;
  return precondition.some((tag) => tag.opaque === String(version));
}
