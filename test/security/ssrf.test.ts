/**
 * The SSRF policy: private, loopback, link-local, metadata and other non-public targets are
 * refused (IPv4, IPv6, IPv4-mapped IPv6, names resolving to them) unless ALLOW_PRIVATE_UPSTREAMS.
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/canonical/errors.js';
import { blockedReason } from '../../src/security/ip-ranges.js';
import { checkUpstreamUrl, systemResolver, type Resolver } from '../../src/security/ssrf.js';

const strict = { settings: { allowPrivateUpstreams: false } };
const open = { settings: { allowPrivateUpstreams: true } };

/** A resolver answering from a table (no network in these tests). */
const table =
  (entries: Record<string, string[]>): Resolver =>
  async (host) => {
    const a = entries[host];
    if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return a.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

async function refusal(url: string, resolve: Resolver = table({})): Promise<GatewayError> {
  const err = await checkUpstreamUrl(strict, url, 'base_url', resolve).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, url).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

describe('checkUpstreamUrl', () => {
  it.each([
    ['http://127.0.0.1:8080/v1', 'loopback'],
    ['http://10.1.2.3/v1', 'private'],
    ['http://172.20.0.5/v1', 'private'],
    ['http://192.168.1.10/v1', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[::1]:8000/v1', 'loopback'],
    ['http://[::ffff:127.0.0.1]/v1', 'loopback'],
    ['http://[::ffff:a9fe:a9fe]/', 'metadata'],
    ['http://[fd00:ec2::254]/', 'private'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://0.0.0.0:11434/v1', 'this network'],
    ['http://2130706433/v1', 'loopback'], // 127.0.0.1 as one number
    ['http://0x7f.1/v1', 'loopback'],
    ['http://localhost:11434/v1', 'loopback'],
    ['http://api.localhost/v1', 'loopback'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
  ])('refuses %s (%s)', async (url, what) => {
    const e = await refusal(url);
    expect(e.status).toBe(400);
    expect(e.code).toBe('ssrf_refused');
    expect(e.param).toBe('base_url');
    expect(e.message).toContain(what);
    expect(e.message).toContain('ALLOW_PRIVATE_UPSTREAMS');
  });

  it('refuses a host name that resolves to a private address (any of its addresses)', async () => {
    const resolve = table({ 'internal.example': ['10.0.0.7'], 'mixed.example': ['93.184.216.34', '127.0.0.1'], 'v6.example': ['::1'] });
    expect((await refusal('https://internal.example/v1', resolve)).message).toContain('internal.example resolves to 10.0.0.7');
    expect((await refusal('https://mixed.example/v1', resolve)).message).toContain('127.0.0.1');
    expect((await refusal('https://v6.example/v1', resolve)).message).toContain('loopback');
  });

  it('refuses a name whose system resolution is loopback (localhost through getaddrinfo)', async () => {
    const addresses = await systemResolver('localhost');
    expect(addresses.length).toBeGreaterThan(0);
    for (const a of addresses) expect(blockedReason(a.address)).toBe('loopback');
    // a name that is not on the name list but resolves like localhost is refused after resolution
    const alias: Resolver = (host) => (host === 'dev-box.example' ? systemResolver('localhost') : table({})(host));
    expect((await refusal('http://dev-box.example:8080/v1', alias)).message).toMatch(/dev-box\.example resolves to .*loopback/);
    // and "localhost." (fully qualified) is refused by name
    expect((await refusal('http://localhost./v1')).code).toBe('ssrf_refused');
  });

  it('accepts public addresses and names', async () => {
    const resolve = table({ 'api.openai.com': ['104.18.6.192', '2606:4700::6812:6c0'] });
    await expect(checkUpstreamUrl(strict, 'https://api.openai.com/v1', 'base_url', resolve)).resolves.toBeUndefined();
    await expect(checkUpstreamUrl(strict, 'https://8.8.8.8/v1', 'base_url', resolve)).resolves.toBeUndefined();
    await expect(checkUpstreamUrl(strict, 'https://[2606:4700:4700::1111]/', 'base_url', resolve)).resolves.toBeUndefined();
  });

  it('says so when a name does not resolve', async () => {
    const e = await refusal('https://no-such-host.invalid/v1');
    expect(e.code).toBe('host_not_found');
  });

  it('allows everything private with ALLOW_PRIVATE_UPSTREAMS=true (still checking the syntax)', async () => {
    for (const url of ['http://127.0.0.1:8080/v1', 'http://[::1]/', 'http://169.254.169.254/', 'http://localhost:11434/v1']) {
      await expect(checkUpstreamUrl(open, url)).resolves.toBeUndefined();
    }
    await expect(checkUpstreamUrl(open, 'ftp://127.0.0.1/')).rejects.toMatchObject({ status: 400 });
    await expect(checkUpstreamUrl(open, 'http://user:pw@127.0.0.1/')).rejects.toMatchObject({ status: 400 });
  });
});

describe('blockedReason', () => {
  it('judges IPv6 forms that embed an IPv4 address by that address', () => {
    expect(blockedReason('::ffff:8.8.8.8')).toBeNull();
    expect(blockedReason('64:ff9b::10.0.0.1')).toMatch(/private/);
    expect(blockedReason('2002:c0a8:0101::1')).toMatch(/private/); // 6to4 of 192.168.1.1
    expect(blockedReason('100.64.0.1')).toMatch(/carrier-grade/);
    expect(blockedReason('224.0.0.1')).toBe('multicast');
    expect(blockedReason('ff02::1')).toBe('multicast');
    expect(blockedReason('1.1.1.1')).toBeNull();
  });
});
