import { startPostgres } from '@todo/infra';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server URL (DATABASE_URL, or a server started for this run); each test file makes its own database. */
    postgresUrl: string;
  }
}

let stop: (() => Promise<void>) | undefined;

/** Starts one real PostgreSQL server for the API suites unless DATABASE_URL names one; fails loudly if it cannot. */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.DATABASE_URL) {
    project.provide('postgresUrl', process.env.DATABASE_URL);
    return;
  }
  try {
    const server = await startPostgres();
    stop = () => server.stop();
    project.provide('postgresUrl', server.url);
  } catch (err) {
    throw new Error(`API suites need PostgreSQL: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function teardown(): Promise<void> {
  await stop?.();
}
