import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import type { UserConfig } from 'vitest/config';

// Vite's resolver misses chrono-node's "./*" subpath export, which Node resolves; point it at the English build
// (the quick-add parser's date finder, read by the recurrence core's tests and the API's Todoist import).
const chronoEnglish = fileURLToPath(import.meta.resolve('chrono-node/en'));
// eventsource-parser (under the MCP SDK's client) exports TypeScript under `source` too, which Node cannot load
// from node_modules: the SDK goes through Vite (inlined) and its import of eventsource-parser to the build.
const sseParser = fileURLToPath(import.meta.resolve('eventsource-parser'));
const sseParserStream = fileURLToPath(import.meta.resolve('eventsource-parser/stream'));

/**
 * Workspace packages (`@todo/contract`, `@todo/recurrence`) export their TypeScript source under the `source`
 * condition and their build under `default`; tests, tsx and the typechecker read the source, `node` the build.
 */
export const workspaceSources: UserConfig = {
  resolve: {
    conditions: ['source', ...defaultClientConditions],
    alias: {
      'chrono-node/en': chronoEnglish,
      'eventsource-parser/stream': sseParserStream,
      'eventsource-parser': sseParser,
    },
  },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: { server: { deps: { inline: ['@modelcontextprotocol/sdk'] } } },
};
