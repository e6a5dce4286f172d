/** A throw-away CA and a broker certificate for 127.0.0.1, made with the `openssl` CLI, for a TLS listener. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCa, createSignedCert } from './test-ca.js';

export interface BrokerCertificate {
  /** The PEM CA that signed the broker's certificate: what a client verifies it against. */
  readonly caCert: string;
  /** A PEM file with the broker's unencrypted PKCS#8 key and certificate chain (Kafka's `PEM` keystore). */
  readonly keystore: string;
}

/** Writes the CA and the broker's key and certificate (SAN IP:127.0.0.1, valid for a day) into `dir`. */
export async function createBrokerCertificate(dir: string): Promise<BrokerCertificate> {
  const ca = { dir, purpose: 'the Kafka TLS listener certificate', days: 1 };
  await createCa(ca, '/CN=test-kafka-ca');
  await createSignedCert(ca, 'broker', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\n');
  const read = (file: string) => readFile(join(dir, file), 'utf8');
  const caCert = await read('ca.crt');
  const keystore = join(dir, 'broker.pem');
  await writeFile(keystore, `${await read('broker.key')}${await read('broker.crt')}${caCert}`);
  return { caCert, keystore };
}
