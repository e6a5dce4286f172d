/**
 * `database.managed`: a database and a login role per tenant on the operator's own PostgreSQL
 * (OPERATOR_DATABASE_URL). Identifiers are derived from namespace/name and always quoted.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ManagedDatabase {
  /** Creates role and database when missing and returns the tenant's connection URL. */
  ensure(namespace: string, name: string, knownPassword: string | undefined): Promise<string>;
  drop(namespace: string, name: string): Promise<void>;
  close(): Promise<void>;
}

export class ManagedDatabaseUnavailableError extends Error {
  override readonly name = 'ManagedDatabaseUnavailableError';
}

/** `todo_<namespace>_<name>`, lower-case, only [a-z0-9_], at most PostgreSQL's 63 bytes. */
export function tenantDatabaseName(namespace: string, name: string): string {
  return `todo_${namespace}_${name}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63);
}

export const generatePassword = (): string => randomBytes(24).toString('base64url');

export class PostgresManagedDatabase implements ManagedDatabase {
  private readonly pool: pg.Pool;

  constructor(private readonly adminUrl: string) {
    this.pool = new pg.Pool({ connectionString: adminUrl, max: 2, connectionTimeoutMillis: 5000 });
    this.pool.on('error', () => undefined);
  }

  async ensure(namespace: string, name: string, knownPassword: string | undefined): Promise<string> {
    const ident = tenantDatabaseName(namespace, name);
    const password = knownPassword ?? generatePassword();
    const client = await this.connect();
    try {
      const q = pg.escapeIdentifier(ident);
      const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [ident]);
      if (!role.rowCount) await client.query(`CREATE ROLE ${q} LOGIN PASSWORD ${pg.escapeLiteral(password)}`);
      // A password we did not know (Secret lost) must be reset so the URL we store works.
      else if (!knownPassword) await client.query(`ALTER ROLE ${q} PASSWORD ${pg.escapeLiteral(password)}`);
      const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [ident]);
      if (!db.rowCount) await client.query(`CREATE DATABASE ${q} OWNER ${q}`);
    } finally {
      client.release();
    }
    const url = new URL(this.adminUrl);
    url.username = ident;
    url.password = password;
    url.pathname = `/${ident}`;
    return url.toString();
  }

  async drop(namespace: string, name: string): Promise<void> {
    const q = pg.escapeIdentifier(tenantDatabaseName(namespace, name));
    const client = await this.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${q} WITH (FORCE)`);
      await client.query(`DROP ROLE IF EXISTS ${q}`);
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw new ManagedDatabaseUnavailableError(
        `the operator's PostgreSQL is unreachable: ${(err as Error).message}`,
      );
    }
  }
}
