import type { LookupAddress } from 'node:dns';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, createSignedCert } from '@todo/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, publicHttpsFetch, publicOnlyLookup } from '../../src/oauth/public-fetch.js';

describe('which addresses a stranger-given URL may reach', () => {
  it.each([
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['172.32.0.1', true],
    ['2606:4700:4700::1111', true],
    ['::ffff:8.8.8.8', true],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['127.0.0.1', false],
    ['127.1.2.3', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['64:ff9b::a00:1', false],
    ['not an address', false],
  ])('%s public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  const lookupWith = (addresses: LookupAddress[]) =>
    publicOnlyLookup((_host, callback) => callback(null, addresses));
  const call = (lookup: LookupFunction, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; result: unknown }>((resolve) =>
      lookup('docs.example', { all }, (err, address, family) =>
        resolve({ err, result: all ? address : [address, family] }),
      ),
    );

  it('refuses a name when any of its addresses is not public (DNS rebinding), else connects to them', async () => {
    const mixed = await call(
      lookupWith([
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ]),
      false,
    );
    expect(mixed.err?.message).toBe('docs.example resolves to 10.0.0.7, not a public address');
    expect(mixed.err?.code).toBe('ENOTPUBLIC');
    expect((await call(lookupWith([]), false)).err?.code).toBe('ENOTPUBLIC');
    const fine = [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ];
    expect(await call(lookupWith(fine), false)).toEqual({ err: null, result: ['93.184.216.34', 4] });
    expect(await call(lookupWith(fine), true)).toEqual({ err: null, result: fine });
  });
});

describe('fetching a document at a stranger-given URL', () => {
  let dir: string;
  let server: Server;
  let port: number;
  let ca: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'public-fetch-'));
    const o = { dir, purpose: 'the OAuth metadata fetch test', days: 1 };
    await createCa(o, '/CN=public-fetch-test-ca');
    await createSignedCert(o, 'server', '/CN=localhost', 'subjectAltName=DNS:localhost\n');
    ca = await readFile(join(dir, 'ca.crt'), 'utf8');
    server = createServer(
      { key: await readFile(join(dir, 'server.key')), cert: await readFile(join(dir, 'server.crt')) },
      (req, res) => {
        if (req.url === '/moved') return res.writeHead(302, { location: 'https://localhost/doc' }).end();
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ accept: req.headers.accept }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('never connects to a name that resolves to this machine, checked on the connection itself', async () => {
    // `localhost` resolves to a loopback address here; the URL check alone would not see that for another name.
    await expect(publicHttpsFetch({ ca })(`https://localhost:${port}/doc`)).rejects.toThrow(
      /localhost resolves to .*, not a public address/,
    );
  });

  it('reads a document, sends its headers, answers a redirect as it is and refuses http', async () => {
    // A lookup that lets loopback through stands in for a public host: the server under test is on this machine.
    const loopbackAllowed: LookupFunction = (_host, options, callback) =>
      options.all
        ? (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [
            { address: '127.0.0.1', family: 4 },
          ])
        : callback(null, '127.0.0.1', 4);
    const get = publicHttpsFetch({ lookup: loopbackAllowed, ca });
    const res = await get(`https://localhost:${port}/doc`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accept: 'application/json' });
    const moved = await get(`https://localhost:${port}/moved`);
    expect(moved.status).toBe(302);
    await expect(get(`http://localhost:${port}/doc`)).rejects.toThrow(/only https/);
    const aborted = new AbortController();
    aborted.abort();
    await expect(get(`https://localhost:${port}/doc`, { signal: aborted.signal })).rejects.toThrow();
  });
});
