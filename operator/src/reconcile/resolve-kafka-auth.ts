/** Resolves `spec.kafka.tls` and `spec.kafka.sasl` to what the operator's Kafka client signs in with. */
import type { TodoApp } from '../crd/todoapp.js';
import { Api } from '../kube/api.js';
import type { KubeClient } from '../kube/client.js';
import { KINDS } from '../kube/resources.js';
import { secretValue } from '../kube/secret-data.js';
import { TenantError } from './error-policy.js';
import type { KafkaAuth } from './topics.js';

/**
 * Reads the CA and the SASL credentials from the TodoApp's Secrets (in its namespace), the same ones its Dapr
 * pubsub component reads; throws a TenantError naming the Secret or key that is missing.
 */
export async function resolveKafkaAuth(app: TodoApp, client: KubeClient): Promise<KafkaAuth> {
  const { tls, sasl } = app.spec.kafka;
  const { namespace } = app.metadata;
  const secrets = new Api(client, KINDS.secret, namespace);
  const read = async (name: string, key: string, what: string) => {
    const ref = `Secret ${namespace}/${name}`;
    const secret = await secrets.find(name);
    if (!secret) throw new TenantError('KafkaCredentialsMissing', `${ref} (${what}) does not exist`);
    const value = secretValue(secret, key);
    if (!value) throw new TenantError('KafkaCredentialsMissing', `${ref} has no key "${key}" (${what})`);
    return value;
  };
  const auth: KafkaAuth = {};
  if (tls?.enabled) {
    const ca = tls.caSecretRef;
    auth.tls = ca ? { ca: await read(ca.name, ca.key, 'kafka.tls.caSecretRef') } : {};
  }
  if (sasl) {
    const name = sasl.secretRef.name;
    auth.sasl = {
      mechanism: sasl.mechanism,
      username: await read(name, 'username', 'kafka.sasl.secretRef'),
      password: await read(name, 'password', 'kafka.sasl.secretRef'),
    };
  }
  return auth;
}
