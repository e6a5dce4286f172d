import { prepare } from '@todo/infra';

/** Builds or fetches the heavy artefacts once, before any suite starts and outside every test's timeout. */
export async function setup(): Promise<void> {
  await prepare();
}
