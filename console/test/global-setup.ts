import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { buildApiIfStale, buildConsole } from './harness/build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The console built once for every suite of this project (read-only to them). */
    consoleDist: string;
  }
}

/**
 * Builds the console once for the project's suites (each used to build its own, ~15 s apiece) and the API when
 * its sources changed, before any suite starts and outside every test's timeout.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const consoleDist = await buildConsole();
  await buildApiIfStale();
  project.provide('consoleDist', consoleDist);
  return () => rm(consoleDist, { recursive: true, force: true });
}
