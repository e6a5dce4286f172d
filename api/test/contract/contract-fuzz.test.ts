import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { STORAGES, useTestApp } from '../support/test-app.js';
import { fuzzApi } from './schemathesis.js';

// Per operation and phase; with the coverage phase's boundary cases and the stateful scenarios this keeps one
// storage's run near a minute on two cores. The deadline only guards against a hung run while other suites
// share the cores. FUZZ_EXAMPLES=<n> (with FUZZ_SEED) explores further; the deadline grows with it.
const MAX_EXAMPLES = Number(process.env.FUZZ_EXAMPLES ?? 10);
const DEADLINE_MS = 420_000 * Math.max(1, MAX_EXAMPLES / 10);

describe.each(STORAGES)('the API on %s storage', (storage) => {
  const app = useTestApp(storage, { user: false });
  let baseUrl: string;

  beforeAll(async () => {
    await app.server.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  });

  it(
    'answers every request schemathesis generates from its OpenAPI document as the document says',
    async () => {
      const token = (await app.user()).auth.authorization.replace(/^Bearer /, '');
      const { code, report } = await fuzzApi(baseUrl, token, {
        maxExamples: MAX_EXAMPLES,
        deadlineMs: DEADLINE_MS,
      });
      // On failure the message is schemathesis' own report, a curl line and `st replay` id for each finding.
      if (code !== 0) expect.fail(`schemathesis exited with ${code}:\n${report}`);
      // The stateful phase followed the document's links (a created task's id into its own operations).
      expect(report).toMatch(/API Links:\s+[1-9]\d* covered/);
    },
    DEADLINE_MS + 30_000,
  );
});
