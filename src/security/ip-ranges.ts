/**
 * Which IP addresses an upstream request may not reach unless ALLOW_PRIVATE_UPSTREAMS=true:
 * everything that is not a public unicast address. IPv4: this-network, private (10/8, 172.16/12,
 * 192.168/16), carrier-grade NAT, loopback, link-local (incl. the cloud metadata address
 * 169.254.169.254), IETF protocol assignments, documentation, benchmarking, multicast, reserved,
 * broadcast. IPv6: unspecified, loopback, unique-local (fc00::/7, incl. AWS's fd00:ec2::254),
 * link-local, site-local, multicast, documentation, discard; and the forms that embed an IPv4
 * address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4
 * 2002::/16, Teredo 2001::/32) are judged by that IPv4 address.
 */
import { BlockList, isIP } from 'node:net';

const V4_BLOCKED: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const V6_BLOCKED: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

const v4List = new BlockList();
for (const [net, prefix] of V4_BLOCKED) v4List.addSubnet(net, prefix, 'ipv4');
const v6List = new BlockList();
for (const [net, prefix] of V6_BLOCKED) v6List.addSubnet(net, prefix, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (null when it is not one). */
export function ipv6Groups(address: string): number[] | null {
  let a = address;
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (isIP(a) !== 6) return null;
  // a trailing dotted IPv4 becomes two groups
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (dotted) {
    const [b0, b1, b2, b3] = dotted.slice(1).map(Number) as [number, number, number, number];
    a = `${a.slice(0, dotted.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = a.includes('::') ? (a.split('::') as [string, string]) : [a, null];
  const h = head === '' ? [] : head.split(':');
  const t = tail === null || tail === '' ? [] : tail.split(':');
  const fill = tail === null ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  const groups = [...h, ...fill, ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

const v4 = (hi: number, lo: number): string => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

/** The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4, Teredo), if any. */
export function embeddedIpv4(groups: readonly number[]): string | null {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  const zeros5 = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeros5 && g5 === 0xffff) return v4(g6, g7); // ::ffff:a.b.c.d
  if (zeros5 && g5 === 0 && (g6 !== 0 || g7 > 1)) return v4(g6, g7); // ::a.b.c.d (deprecated)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return v4(g6, g7); // NAT64
  if (g0 === 0x2002) return v4(g1, g2); // 6to4
  if (g0 === 0x2001 && g1 === 0) return v4(~g6 & 0xffff, ~g7 & 0xffff); // Teredo client (obfuscated)
  return null;
}

/** Why an address is not public (a short name of the range), or null when it is public. */
export function blockedReason(address: string): string | null {
  const kind = isIP(address);
  if (kind === 4) return v4List.check(address, 'ipv4') ? describeV4(address) : null;
  const groups = ipv6Groups(address);
  if (!groups) return 'not an IP address';
  const inner = embeddedIpv4(groups);
  if (inner !== null) {
    const r = blockedReason(inner);
    return r === null ? null : `${r} (as IPv6)`;
  }
  const plain = groups.map((g) => g.toString(16)).join(':');
  if (!v6List.check(plain, 'ipv6')) return null;
  if (groups.every((g, i) => g === (i === 7 ? 1 : 0))) return 'loopback';
  if ((groups[0]! & 0xfe00) === 0xfc00) return 'private (unique local)';
  if ((groups[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((groups[0]! & 0xff00) === 0xff00) return 'multicast';
  return 'reserved';
}

function describeV4(address: string): string {
  const [a, b] = address.split('.').map(Number) as [number, number];
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return address === '169.254.169.254' ? 'cloud metadata (link-local)' : 'link-local';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'carrier-grade NAT';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a === 0) return 'this network';
  return 'reserved';
}
