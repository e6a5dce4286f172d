import type { Queryable } from '../db/database.js';

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  password_hash: string;
}

export const userRepository = {
  /** Inserts a user; returns undefined when the email (case-insensitively) is taken. */
  async insert(db: Queryable, user: UserRow): Promise<UserRow | undefined> {
    const { rows } = await db.query<UserRow>(
      `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lower(email)) DO NOTHING RETURNING id, email, name, password_hash`,
      [user.id, user.email, user.name, user.password_hash],
    );
    return rows[0];
  },

  async findByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
    const { rows } = await db.query<UserRow>(
      'SELECT id, email, name, password_hash FROM users WHERE lower(email) = lower($1)',
      [email],
    );
    return rows[0];
  },
};
