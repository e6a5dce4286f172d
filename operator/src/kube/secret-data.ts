/** A Secret's `data` is base64 on the wire; these two functions are the only places that know it. */
import type { KubeObject } from './client.js';

/** `data` for a Secret holding these UTF-8 values. */
export function encodeSecretData(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
  );
}

/** One value of a Secret, decoded; undefined when the Secret or the key is missing (or the value is empty). */
export function secretValue(secret: KubeObject | undefined, key: string): string | undefined {
  const raw = (secret?.data as Record<string, string> | undefined)?.[key];
  return raw ? Buffer.from(raw, 'base64').toString('utf8') : undefined;
}
