import { BadRequestError } from '../http/errors.js';

/** Strong ETag of a task version. */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * Parses If-Match into the version it requires: undefined for no header or `*`.
 * Several ETags may be listed; we only ever need to match one version, so more than one is a 400.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  if (!match) {
    throw new BadRequestError('If-Match must be an ETag returned by this API, such as "3".', [
      { path: 'If-Match', message: 'is not an ETag of this API' },
    ]);
  }
  return Number(match[1]);
}
