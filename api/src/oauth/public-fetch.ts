import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

/**
 * Addresses a URL given by a stranger must not reach (RFC 6890 special-purpose blocks): this host, the private
 * networks a cluster's services live on, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT,
 * multicast and reserved ones. IPv4-mapped IPv6 addresses are judged by their IPv4 part.
 */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is one of the public internet's. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return !NOT_PUBLIC.check(mapped[1]!, 'ipv4');
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

type Resolve = (host: string, callback: (err: Error | null, addresses: LookupAddress[]) => void) => void;
const systemResolve: Resolve = (host, callback) => dnsLookup(host, { all: true }, callback);

/**
 * A `lookup` for sockets that refuses a name with any non-public address: checked when the connection is made,
 * on the addresses it is made to, so a name that resolves to a public address when validated and to a private one
 * when fetched (DNS rebinding) gets nowhere.
 */
export function publicOnlyLookup(resolve: Resolve = systemResolve): LookupFunction {
  return (host, options, callback) => {
    resolve(host, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      if (refused || addresses.length === 0)
        return callback(
          Object.assign(
            new Error(`${host} resolves to ${refused?.address ?? 'nothing'}, not a public address`),
            {
              code: 'ENOTPUBLIC',
            },
          ),
          '',
          0,
        );
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * `fetch` for documents at URLs strangers give us (OAuth client metadata): https only, to public addresses only
 * (publicOnlyLookup), no redirect followed (a 3xx is answered as it is), `signal` honoured.
 */
export function publicHttpsFetch({
  lookup = publicOnlyLookup(),
  ca,
}: {
  lookup?: LookupFunction;
  /** Certificate authorities to trust instead of Node's bundled ones (a test's own). */
  ca?: string;
} = {}): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.protocol !== 'https:') return reject(new TypeError('only https URLs are fetched'));
      const headers = new Headers(init?.headers);
      const req = request(
        url,
        {
          method: 'GET',
          headers: Object.fromEntries(headers),
          lookup,
          ...(ca ? { ca } : {}),
          ...(init?.signal ? { signal: init.signal } : {}),
        },
        (res) => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            if (value !== undefined)
              responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          const status = res.statusCode ?? 502;
          const body = status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream);
          resolve(new Response(body, { status, headers: responseHeaders }));
        },
      );
      req.on('error', reject);
      req.end();
    });
}
