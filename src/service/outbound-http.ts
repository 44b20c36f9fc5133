/**
 * Requests Sanbao makes to addresses an admin typed in (department webhook
 * endpoints): never to this machine or the bureau's private network unless
 * the admin explicitly allowed it for that endpoint. The host is resolved
 * and every address checked when the endpoint is saved, and again at connect
 * time (the address connected to is the one checked), so a DNS answer that
 * changes after the check (rebinding) cannot redirect a delivery inward.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { invalid } from '../domain/errors.ts';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fe80::', 10], ['fc00::', 7], ['ff00::', 8], ['64:ff9b::', 96]] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** Loopback, link-local, private, shared (CGNAT), multicast or unspecified: not a public address. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: never trusted
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  return blocked.check(address, 'ipv6');
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

function resolveAll(host: string): Promise<LookupAddress[]> {
  if (isIP(host)) return Promise.resolve([{ address: host, family: isIP(host) }]);
  return new Promise((resolve, reject) => dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}

/**
 * Checks an endpoint URL when it is saved: HTTPS (plain HTTP only where
 * private networks are allowed), and every address its host resolves to public
 * unless `allowPrivateNetwork`. Returns the normalised URL.
 */
export async function checkOutboundUrl(raw: string, allowPrivateNetwork: boolean): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('INVALID_ENDPOINT', `"${raw}" is not a URL`, 'url');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowPrivateNetwork)) {
    throw invalid('INVALID_ENDPOINT', 'a department endpoint must be https:// (http:// only on an allowed private network)', 'url');
  }
  if (url.username || url.password) throw invalid('INVALID_ENDPOINT', 'put no credentials in the URL: the endpoint has its own secret', 'url');
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(hostOf(url));
  } catch {
    throw invalid('UNRESOLVABLE_ENDPOINT', `the host ${url.hostname} does not resolve`, 'url');
  }
  if (!allowPrivateNetwork) {
    const inward = addresses.filter((a) => isPrivateAddress(a.address));
    if (inward.length > 0) {
      throw invalid('PRIVATE_ENDPOINT', `${url.hostname} resolves to a loopback, link-local or private address (${inward.map((a) => a.address).join(', ')}); allow private networks for this endpoint explicitly if that is intended`, 'url');
    }
  }
  return url.toString();
}

/** A DNS lookup for the connection itself that refuses every answer holding a private address. */
function guardedLookup(allowPrivateNetwork: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as LookupAddress[];
      if (!allowPrivateNetwork && (list.length === 0 || list.some((a) => isPrivateAddress(a.address)))) {
        return callback(Object.assign(new Error(`refused: ${hostname} resolves to a private address`), { code: 'EPRIVATE' }), '', 4);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/**
 * POSTs a body and answers the HTTP status (the response body is drained, not
 * read). Redirects are not followed. Refuses a private address at connect
 * time unless allowed.
 */
export function postOutbound(
  raw: string,
  headers: Record<string, string>,
  body: string,
  o: { allowPrivateNetwork: boolean; timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<number> {
  const url = new URL(raw);
  const host = hostOf(url);
  if (isIP(host) && !o.allowPrivateNetwork && isPrivateAddress(host)) {
    return Promise.reject(new Error(`refused: ${host} is a private address`));
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(o.allowPrivateNetwork),
        timeout: o.timeoutMs,
        ...(o.signal ? { signal: o.signal } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
