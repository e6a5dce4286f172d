import { z } from 'zod';
import { text } from './text.js';
import { wholeStringPattern } from './whole-string-pattern.js';

// zod's email pattern, narrowed to what RFC 5321 and JSON Schema's `email` format also allow: a local part of
// at most 64 characters and domain labels of 1–63 that neither start nor end with "-".
const EMAIL = wholeStringPattern(
  "(?=[^@]{1,64}@)(?:[A-Za-z0-9_'+-]+\\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@" +
    '(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}',
);
/** An email address as sign-up, log-in and invitations take it: trimmed and lower-cased. */
export const emailAddress = z
  .email({ pattern: EMAIL, message: 'must be an email address' })
  .max(254)
  .trim()
  .toLowerCase();

export const signupBody = z
  .strictObject({
    email: emailAddress,
    // A password is hashed, never stored or shown as text: any character may be part of it.
    password: z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters'),
    name: text({ max: 100, nonBlank: true }).optional(),
  })
  .meta({ id: 'Signup' });

export const loginBody = z
  .strictObject({ email: emailAddress, password: z.string().min(1).max(200) })
  .meta({ id: 'Login' });

export const user = z.object({ id: z.string(), email: z.string(), name: z.string().nullable() });
export type User = z.infer<typeof user>;

export const session = z.object({ token: z.string(), user }).meta({ id: 'Session' });
export type Session = z.infer<typeof session>;
