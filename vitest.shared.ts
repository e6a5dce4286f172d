import { defaultClientConditions, defaultServerConditions } from 'vite';
import type { UserConfig } from 'vitest/config';

/**
 * Workspace packages (`@todo/contract`, `@todo/recurrence`) export their TypeScript source under the `source`
 * condition and their build under `default`; tests, tsx and the typechecker read the source, `node` the build.
 */
export const workspaceSources: UserConfig = {
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
};
