import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults', () => {
    expect(loadConfig({})).toMatchObject({
      workers: 16,
      resyncMs: 300_000,
      httpPort: 8081,
      leaderElection: true,
      databaseUrl: undefined,
      kubeRateLimit: { qps: 50, burst: 300 },
    });
  });

  it.each([
    [{ OPERATOR_WORKERS: '0' }, /^OPERATOR_WORKERS: /],
    [{ OPERATOR_DATABASE_URL: 'mysql://x' }, /^OPERATOR_DATABASE_URL: .*postgres:\/\//],
    [{ LEADER_ELECTION: 'yes' }, /^LEADER_ELECTION: /],
    [{ OPERATOR_KUBE_QPS: '0' }, /^OPERATOR_KUBE_QPS: /],
  ])('refuses %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
