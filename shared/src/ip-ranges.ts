/**
 * IPv4 and IPv6 addresses and CIDR ranges, parsed to numbers so that matching an address against
 * many ranges is a few integer comparisons. Pure code: used by zod validation and by the rules.
 */
export interface IpRange {
  version: 4 | 6;
  /** First address of the range (IPv4 as a bigint too, for one code path). */
  network: bigint;
  mask: bigint;
  source: string;
}

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  let address = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4Tail) {
    const v4 = parseIpv4(v4Tail[1]!);
    if (v4 === null) return null;
    address = address.slice(0, -v4Tail[1]!.length) + ((v4 >> 16n) & 0xffffn).toString(16) + ':' + (v4 & 0xffffn).toString(16);
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const hextets = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const h of hextets) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(h)) return null;
    value = (value << 16n) | BigInt(parseInt(h, 16));
  }
  return value;
}

export function parseIp(text: string): { version: 4 | 6; value: bigint } | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : null;
  return v6 === null ? null : { version: 6, value: v6 };
}

export function parseIpRange(text: string): IpRange | null {
  const [address, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || !address) return null;
  const ip = parseIp(address);
  if (!ip) return null;
  const bits = ip.version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return null;
  const all = (1n << BigInt(bits)) - 1n;
  const mask = prefix === 0 ? 0n : (all << BigInt(bits - prefix)) & all;
  return { version: ip.version, network: ip.value & mask, mask, source: text.trim() };
}

export function isCidr(text: string): boolean {
  return parseIpRange(text) !== null;
}

/** An IPv4 address as an unsigned 32-bit number without BigInt (the common, hot case), or -1. */
function ipv4Number(text: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0 || part > 255) return -1;
  return value * 256 + part;
}

/** The first range containing the address, or null. */
export function findContainingRange(address: string, ranges: readonly IpRange[]): IpRange | null {
  const v4 = ipv4Number(address);
  if (v4 >= 0) {
    for (const range of ranges) {
      if (range.version !== 4) continue;
      const mask = Number(range.mask);
      const size = 2 ** 32 - mask;
      const network = Number(range.network);
      if (v4 >= network && v4 < network + size) return range;
    }
    return null;
  }
  const ip = parseIp(address);
  if (!ip) return null;
  for (const range of ranges) {
    if (range.version === ip.version && (ip.value & range.mask) === range.network) return range;
  }
  return null;
}
