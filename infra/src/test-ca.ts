/** A throw-away certificate authority and the certificates it signs, made with the `openssl` CLI in a folder. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InfraUnavailableError, run } from './process.js';

/** Runs `openssl <args>` in `dir`; `purpose` completes "it is needed for …" when the CLI is missing. */
export async function openssl(dir: string, args: string[], purpose: string): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir, timeoutMs: 60_000 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new InfraUnavailableError(`the \`openssl\` CLI is not on PATH: it is needed for ${purpose}`);
    throw err;
  }
}

/** Where the files are, what they are for, and how many days they are valid. */
export interface CaOptions {
  readonly dir: string;
  readonly purpose: string;
  readonly days: number;
}

/** An unencrypted RSA key in PKCS#8, which every consumer here reads (Kafka's PEM keystore requires it). */
const newKey = (o: CaOptions, name: string) =>
  openssl(
    o.dir,
    ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', `${name}.key`],
    o.purpose,
  );

/** Writes the CA's `ca.key` and self-signed `ca.crt` into `dir`. */
export async function createCa(o: CaOptions, subject: string): Promise<void> {
  await newKey(o, 'ca');
  await openssl(
    o.dir,
    ['req', '-x509', '-new', '-key', 'ca.key', '-subj', subject, '-days', String(o.days), '-out', 'ca.crt'],
    o.purpose,
  );
}

/** Writes `<name>.key` and `<name>.crt`, signed by the CA in `dir`, with the X.509 `extensions` given. */
export async function createSignedCert(o: CaOptions, name: string, subject: string, extensions: string) {
  await newKey(o, name);
  await openssl(
    o.dir,
    ['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`],
    o.purpose,
  );
  await writeFile(join(o.dir, `${name}.ext`), extensions);
  await openssl(
    o.dir,
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      String(o.days),
      '-sha256',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    ],
    o.purpose,
  );
}
