/** The kafkajs connection options for a tenant's brokers, from what its TodoApp asks for (pure: table-tested). */
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { KafkaAuth } from './topics.js';

/** kafkajs's names for the SASL mechanisms the CRD offers. */
const KAFKAJS_MECHANISM = {
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
  PLAIN: 'plain',
} as const;

/** `ssl` and `sasl` for a kafkajs client: TLS verified against the tenant's CA (else the system roots). */
export function kafkaAuthConfig(auth: KafkaAuth): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const config: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (auth.tls) config.ssl = auth.tls.ca ? { ca: [auth.tls.ca], rejectUnauthorized: true } : true;
  if (auth.sasl) {
    const { mechanism, username, password } = auth.sasl;
    config.sasl = { mechanism: KAFKAJS_MECHANISM[mechanism], username, password } as SASLOptions;
  }
  return config;
}
