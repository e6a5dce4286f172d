import { describe, expect, it } from 'vitest';
import { kafkaAuthConfig } from './kafka-client-config.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('kafkaAuthConfig', () => {
  it.each([
    ['plaintext without authentication', {}, {}],
    ['TLS against the system roots', { tls: {} }, { ssl: true }],
    ['TLS against the tenant CA', { tls: { ca: CA } }, { ssl: { ca: [CA], rejectUnauthorized: true } }],
    [
      'SCRAM-SHA-256 over plaintext',
      { sasl: { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p' } },
      { sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' } },
    ],
    [
      'SCRAM-SHA-512 over TLS with a CA',
      { tls: { ca: CA }, sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' } },
      {
        ssl: { ca: [CA], rejectUnauthorized: true },
        sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
      },
    ],
    [
      'PLAIN over TLS',
      { tls: {}, sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' } },
      { ssl: true, sasl: { mechanism: 'plain', username: 'u', password: 'p' } },
    ],
  ] as const)('%s', (_, auth, expected) => {
    expect(kafkaAuthConfig(auth)).toEqual(expected);
  });
});
