/**
 * A regular expression that must match the whole string, written so ECMA-262 and Python's `re` (which JSON
 * Schema tools such as jsonschema and schemathesis use for `pattern`) agree: `$` in Python also matches
 * before a trailing newline, so the end is "no character follows" instead. Use no `\p{…}`, and no `\d`, `\s`
 * or `\w`, whose meaning differs between the two.
 */
export function wholeStringPattern(body: string): RegExp {
  return new RegExp(`^(?:${body})(?![\\s\\S])`);
}
