import { z } from 'zod';

const email = z.email('must be an email address').max(254).trim().toLowerCase();

export const signupBody = z
  .strictObject({
    email,
    password: z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters'),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .meta({ id: 'Signup' });

export const loginBody = z
  .strictObject({ email, password: z.string().min(1).max(200) })
  .meta({ id: 'Login' });

export const session = z
  .object({
    token: z.string(),
    user: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }),
  })
  .meta({ id: 'Session' });

export type Session = z.infer<typeof session>;
