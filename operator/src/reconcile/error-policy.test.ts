import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../kube/errors.js';
import { errorPolicy, TenantError } from './error-policy.js';

describe('errorPolicy', () => {
  it.each([
    ['SecretNotFound', 'DatabaseReady', 30_000],
    ['SecretKeyMissing', 'DatabaseReady', 30_000],
    ['ManagedDatabaseUnavailable', 'DatabaseReady', 300_000],
    ['KafkaUnavailable', 'TopicsReady', 300_000],
    ['TopicsRejected', 'TopicsReady', 30_000],
    ['InvalidConfiguration', 'Ready', 30_000],
    ['DaprNotInstalled', 'Ready', 300_000],
    ['ApplyFailed', 'Ready', 300_000],
  ] as const)('%s shows on %s, is counted under its reason and retried within %i ms', (reason, type, max) => {
    const err = new TenantError(reason, 'what to do');
    expect(err.condition).toBe(type);
    expect(errorPolicy(err)).toEqual({ label: reason, maxDelayMs: max });
  });

  it('retries any other error (the API server failing a request) with the long ceiling, under its class name', () => {
    expect(errorPolicy(new KubeApiError(500, 'InternalError', 'etcd timeout'))).toEqual({
      label: 'KubeApiError',
      maxDelayMs: 300_000,
    });
    expect(errorPolicy('not even an Error')).toEqual({ label: 'Error', maxDelayMs: 300_000 });
  });
});
