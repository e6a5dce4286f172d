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
      consumerWatchdog: { checkMs: 30_000, stallMs: 180_000, cooldownMs: 600_000 },
    });
  });

  it('turns the consumer watchdog off with a stall time of 0', () => {
    expect(loadConfig({ OPERATOR_CONSUMER_STALL_SECONDS: '0' }).consumerWatchdog.stallMs).toBe(0);
  });

  it.each([
    [{ OPERATOR_WORKERS: '0' }, /^OPERATOR_WORKERS: /],
    [{ OPERATOR_DATABASE_URL: 'mysql://x' }, /^OPERATOR_DATABASE_URL: .*postgres:\/\//],
    [{ LEADER_ELECTION: 'yes' }, /^LEADER_ELECTION: /],
    [{ OPERATOR_KUBE_QPS: '0' }, /^OPERATOR_KUBE_QPS: /],
    [{ OPERATOR_CONSUMER_CHECK_SECONDS: '0' }, /^OPERATOR_CONSUMER_CHECK_SECONDS: /],
    [{ OPERATOR_CONSUMER_STALL_SECONDS: '-1' }, /^OPERATOR_CONSUMER_STALL_SECONDS: /],
  ])('refuses %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
