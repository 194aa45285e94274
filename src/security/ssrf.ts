/**
 * The SSRF policy: the check every upstream URL passes before the gateway stores or fetches it
 * (provider base URLs created through the API; image URLs fetched for Gemini, see media-fetch.ts).
 *
 * 1. Syntax: an absolute http(s) URL without credentials or fragment.
 * 2. Unless ALLOW_PRIVATE_UPSTREAMS=true: the host must be public. An IP literal is judged
 *    directly (IPv4, IPv6, IPv4-mapped IPv6 and the other embedded forms, see ip-ranges.ts);
 *    `localhost` / `*.localhost` and the metadata host names are refused by name; any other name
 *    is resolved and refused when ANY of its addresses is not public.
 *
 * Providers from the YAML config or UPSTREAM_* are written by the operator and are not checked
 * (the operator may point them anywhere, e.g. a local model server). Resolving at creation time
 * does not stop a name that is re-pointed later (DNS rebinding): `connectLookup` is a
 * `dns.lookup` replacement for connections (undici `connect.lookup`) that checks the address
 * actually connected to; media-fetch.ts uses it for every fetch.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { GatewayError } from '../canonical/errors.js';
import { invalidRequest } from '../canonical/errors.js';
import type { Settings } from '../config/settings.js';
import { blockedReason } from './ip-ranges.js';

export interface UpstreamUrlContext {
  settings: Pick<Settings, 'allowPrivateUpstreams'>;
}

/** Resolves a host name to every address it has (dns.lookup with all: true by default). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

const BLOCKED_NAMES = new Set(['localhost', 'metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/** The host of a parsed URL without IPv6 brackets, lower case, without a trailing dot. */
export function hostOf(u: URL): string {
  let h = u.hostname.toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

export class SsrfRefusal extends Error {
  constructor(
    readonly host: string,
    readonly reason: string,
    readonly address?: string,
  ) {
    super(
      address !== undefined && address !== host
        ? `${host} resolves to ${address}, a ${reason} address`
        : `${host} is a ${reason} address`,
    );
    this.name = 'SsrfRefusal';
  }
}

/**
 * The addresses of a host, all public; throws SsrfRefusal otherwise. An unresolvable name throws
 * the resolver's error.
 */
export async function publicAddresses(host: string, resolve: Resolver = systemResolver): Promise<LookupAddress[]> {
  if (isIP(host) !== 0) {
    const reason = blockedReason(host);
    if (reason !== null) throw new SsrfRefusal(host, reason);
    return [{ address: host, family: isIP(host) }];
  }
  if (BLOCKED_NAMES.has(host) || host.endsWith('.localhost')) throw new SsrfRefusal(host, host === 'localhost' || host.endsWith('.localhost') ? 'loopback' : 'cloud metadata');
  const addresses = await resolve(host);
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  for (const a of addresses) {
    const reason = blockedReason(a.address);
    if (reason !== null) throw new SsrfRefusal(host, reason, a.address);
  }
  return addresses;
}

function refusal(field: string, e: SsrfRefusal): GatewayError {
  return invalidRequest(
    `${field}: ${e.message}; the gateway does not call private, loopback, link-local or metadata addresses unless ALLOW_PRIVATE_UPSTREAMS=true.`,
    field,
    'ssrf_refused',
  );
}

/** Syntax and SSRF check of an upstream URL; throws a 400 GatewayError naming `field`. */
export async function checkUpstreamUrl(gw: UpstreamUrlContext, url: string, field = 'base_url', resolve: Resolver = systemResolver): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidRequest(`${field}: expected an absolute http(s) URL, e.g. https://api.openai.com/v1.`, field);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidRequest(`${field}: only http and https URLs are accepted (got ${parsed.protocol.replace(':', '')}).`, field);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw invalidRequest(`${field}: put credentials in a provider key, not in the URL.`, field);
  }
  if (parsed.hash !== '') {
    throw invalidRequest(`${field}: a URL fragment (#…) has no meaning here; remove it.`, field);
  }
  if (gw.settings.allowPrivateUpstreams) return;
  const host = hostOf(parsed);
  try {
    await publicAddresses(host, resolve);
  } catch (err) {
    if (err instanceof SsrfRefusal) throw refusal(field, err);
    throw invalidRequest(`${field}: cannot resolve the host ${host}; check the URL.`, field, 'host_not_found');
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `dns.lookup` replacement for outgoing connections (undici `connect: { lookup }`) that, unless
 * `allowPrivate`, refuses non-public addresses at connect time: the address checked is the
 * address connected to, so a name re-pointed to a private address after an earlier check (DNS
 * rebinding) is refused. The error carries code ESSRF and the SsrfRefusal as itself.
 */
export function connectLookup(opts: { allowPrivate: boolean; resolve?: Resolver }) {
  const resolve = opts.resolve ?? systemResolver;
  return (hostname: string, options: unknown, callback: LookupCallback): void => {
    const all = typeof options === 'object' && options !== null && (options as { all?: unknown }).all === true;
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const found = opts.allowPrivate ? resolve(host) : publicAddresses(host, resolve);
    found
      .then((addresses) => {
        if (addresses.length === 0) throw new Error(`${host} has no address`);
        if (all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      })
      .catch((err: unknown) => {
        const e = (err instanceof Error ? err : new Error(String(err))) as NodeJS.ErrnoException;
        if (err instanceof SsrfRefusal && e.code === undefined) e.code = 'ESSRF';
        callback(e, all ? [] : '', 0);
      });
  };
}
