/**
 * The client's address (request logs, console sign-in limits), with TRUST_PROXY applied the same
 * way on every route: Fastify is given the same trust function the lean inference path uses.
 * - false: the socket's peer;
 * - true: the left-most X-Forwarded-For entry;
 * - a number N: N proxies in front of the gateway are trusted (the Express meaning), so the
 *   address N entries from the right of the chain is the client;
 * - addresses / CIDRs / `loopback`…: every proxy whose address matches is trusted.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

export type TrustProxy = boolean | number | string[];
export type TrustFunction = (address: string, hop: number) => boolean;

export function trustFunction(setting: TrustProxy): TrustFunction | false {
  if (setting === false) return false;
  if (setting === true) return () => true;
  if (typeof setting === 'number') {
    const hops = setting;
    return (_address, hop) => hop < hops;
  }
  return setting.length === 0 ? false : proxyAddr.compile(setting);
}

export function clientIp(req: IncomingMessage, trust: TrustFunction | false): string {
  if (trust === false) return req.socket.remoteAddress ?? '';
  const chain = proxyAddr.all(req, trust);
  return chain[chain.length - 1] ?? '';
}
