import { defineConfig } from 'vitest/config';

// One `npm test` runs every workspace's suites; each project keeps its own environment. The global setup
// prepares the heavy artefacts (Kafka jars, kube-apiserver, etcd) before any test timeout starts.
export default defineConfig({
  test: {
    globalSetup: ['./vitest.global-setup.ts'],
    projects: ['infra', 'recurrence', 'contract', 'api', 'operator', 'console', 'e2e', 'manifests'],
  },
});
