/**
 * Faults injected at the tenant's PostgreSQL, not in the API: a trigger on `notifications` makes the insert of a
 * notification with a given title fail with a chosen SQLSTATE, the first `failures` times. The API classifies the
 * error as it would any database failure (40001 transient: it answers RETRY; 22023 bad data: it sets the event
 * aside and answers DROP), so what Dapr then does is tested against the API's real answers. Every attempt is
 * counted in a sequence, whose `nextval` survives the rollback of the failed transaction.
 */
import pg from 'pg';

export interface NotificationFaults {
  /** Fails the insert of a notification titled `title` `failures` times (Infinity: always) with `sqlstate`. */
  inject(title: string, sqlstate: string, failures: number): Promise<void>;
  /** How many times the API tried to insert the notification titled `title`. */
  attempts(title: string): Promise<number>;
  /** What the database holds for a consumer's dead letter of `eventId`: its attempts, or undefined. */
  deadLetterAttempts(consumer: string, eventId: string): Promise<number | undefined>;
  close(): Promise<void>;
}

export async function notificationFaults(databaseUrl: string): Promise<NotificationFaults> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // A database outage (below) ends this connection too; the tests that use it have run by then.
  client.on('error', () => undefined);
  await client.connect();
  await client.query(`
    CREATE TABLE e2e_faults (title text PRIMARY KEY, sqlstate text NOT NULL, failures bigint NOT NULL,
                             attempts regclass NOT NULL);
    CREATE FUNCTION e2e_fault() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE f e2e_faults;
    BEGIN
      SELECT * INTO f FROM e2e_faults WHERE title = NEW.title;
      IF FOUND AND nextval(f.attempts) <= f.failures THEN
        RAISE EXCEPTION 'injected fault on the notification %', NEW.title USING ERRCODE = f.sqlstate;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER e2e_fault BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION e2e_fault();`);
  let sequences = 0;
  const sequenceOf = async (title: string) =>
    (
      await client.query<{ s: string }>('SELECT attempts::text AS s FROM e2e_faults WHERE title = $1', [
        title,
      ])
    ).rows[0]?.s;
  return {
    async inject(title, sqlstate, failures) {
      const sequence = `e2e_attempts_${++sequences}`;
      await client.query(`CREATE SEQUENCE ${sequence}`);
      await client.query('INSERT INTO e2e_faults VALUES ($1, $2, $3, $4)', [
        title,
        sqlstate,
        Number.isFinite(failures) ? failures : Number.MAX_SAFE_INTEGER,
        sequence,
      ]);
    },
    async attempts(title) {
      const sequence = await sequenceOf(title);
      if (!sequence) throw new Error(`no fault injected for ${title}`);
      const { rows } = await client.query<{ n: string }>(
        `SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM ${sequence}`,
      );
      return Number(rows[0]!.n);
    },
    async deadLetterAttempts(consumer, eventId) {
      const { rows } = await client.query<{ attempts: number }>(
        'SELECT attempts FROM consumer_dead WHERE consumer = $1 AND event_id = $2',
        [consumer, eventId],
      );
      return rows[0]?.attempts;
    },
    close: () => client.end().catch(() => undefined),
  };
}

/**
 * An outage of one database on a running server, as the API sees one: its connections are ended (57P01) and new
 * ones refused (55000) until `end()`. The server and every other database stay up.
 */
export async function databaseOutage(serverUrl: string, database: string) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const allow = (on: boolean) =>
    admin.query(`ALTER DATABASE ${pg.escapeIdentifier(database)} WITH ALLOW_CONNECTIONS ${on}`);
  await allow(false);
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database],
  );
  return {
    async end() {
      await allow(true);
      await admin.end();
    },
  };
}
