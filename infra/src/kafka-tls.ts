/** A throw-away CA and a broker certificate for 127.0.0.1, made with the `openssl` CLI, for a TLS listener. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InfraUnavailableError, run } from './process.js';

export interface BrokerCertificate {
  /** The PEM CA that signed the broker's certificate: what a client verifies it against. */
  readonly caCert: string;
  /** A PEM file with the broker's unencrypted PKCS#8 key and certificate chain (Kafka's `PEM` keystore). */
  readonly keystore: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir, timeoutMs: 60_000 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new InfraUnavailableError(
        'the `openssl` CLI is not on PATH: it makes the Kafka TLS listener certificate',
      );
    throw err;
  }
}

/** Writes the CA and the broker's key and certificate (SAN IP:127.0.0.1, valid for a day) into `dir`. */
export async function createBrokerCertificate(dir: string): Promise<BrokerCertificate> {
  const key = (name: string) => ['-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`];
  await openssl(dir, [
    'req',
    '-x509',
    ...key('ca'),
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=test-kafka-ca',
  ]);
  await openssl(dir, ['req', ...key('broker'), '-out', 'broker.csr', '-subj', '/CN=127.0.0.1']);
  await writeFile(join(dir, 'broker.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    'broker.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'broker.ext',
    '-out',
    'broker.crt',
  ]);
  const read = (file: string) => readFile(join(dir, file), 'utf8');
  const caCert = await read('ca.crt');
  const keystore = join(dir, 'broker.pem');
  await writeFile(keystore, `${await read('broker.key')}${await read('broker.crt')}${caCert}`);
  return { caCert, keystore };
}
