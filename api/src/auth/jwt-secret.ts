import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';

/**
 * The signing secret: JWT_SECRET when configured, else one generated once and kept in the database,
 * so sessions survive restarts and every replica on the same database agrees.
 */
export async function resolveJwtSecret(db: Database, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db.query('INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    'jwt-signing-key',
    randomBytes(48).toString('base64url'),
  ]);
  const { rows } = await db.query<{ value: string }>('SELECT value FROM app_secrets WHERE name = $1', [
    'jwt-signing-key',
  ]);
  return rows[0]!.value;
}
