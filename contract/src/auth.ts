import { z } from 'zod';
import { text } from './text.js';

const email = z.email('must be an email address').max(254).trim().toLowerCase();

export const signupBody = z
  .strictObject({
    email,
    // A password is hashed, never stored or shown as text: any character may be part of it.
    password: z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters'),
    name: text({ max: 100, nonBlank: true }).optional(),
  })
  .meta({ id: 'Signup' });

export const loginBody = z
  .strictObject({ email, password: z.string().min(1).max(200) })
  .meta({ id: 'Login' });

export const user = z.object({ id: z.string(), email: z.string(), name: z.string().nullable() });
export type User = z.infer<typeof user>;

export const session = z.object({ token: z.string(), user }).meta({ id: 'Session' });
export type Session = z.infer<typeof session>;
