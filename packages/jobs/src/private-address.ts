/**
 * The webhook SSRF guard: a tenant must not make the platform call into its own network or this
 * machine. `isPrivateHost` checks a URL's host literally (at registration, where nothing is
 * resolved yet); `isPrivateAddress` checks every address a name resolves to (at delivery time, the
 * check that matters: a public name can resolve to 127.0.0.1, and can change between calls).
 */
import { isIP } from 'node:net';

/**
 * Whether a URL host names this machine or a private, link-local or shared network literally
 * (localhost, *.localhost, and every IP literal that `isPrivateAddress` refuses, brackets and IPv6
 * spellings included). Other names are not resolved here: false.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(stripZone(host)) !== 0 && isPrivateAddress(host);
}

/**
 * Whether an IP address (as dns.lookup answers it, or a literal) is one a webhook must not reach:
 * IPv4 0/8, 10/8, 100.64/10 (shared), 127/8, 169.254/16 (link-local, cloud metadata), 172.16/12,
 * 192.0.0/24, 192.168/16, 198.18/15 (benchmarking), 224/4 (multicast), 240/4 (reserved, broadcast);
 * IPv6 ::, ::1, fc00::/7 (unique local), fe80::/10 (link-local), fec0::/10 (site-local), ff00::/8
 * (multicast), and IPv4 embedded in ::ffff:0:0/96 (mapped), ::/96 (compatible) and 64:ff9b::/96
 * (NAT64) by the IPv4 rules. Not an IP address at all: true (refuse what cannot be checked).
 */
export function isPrivateAddress(ip: string): boolean {
  const address = stripZone(ip.replace(/^\[|\]$/g, '').toLowerCase());
  const kind = isIP(address);
  if (kind === 4) return privateV4(v4Octets(address));
  if (kind === 6) return privateV6(v6Groups(address));
  return true;
}

function stripZone(address: string): string {
  const zone = address.indexOf('%');
  return zone === -1 ? address : address.slice(0, zone);
}

function v4Octets(address: string): number[] {
  return address.split('.').map(Number);
}

function privateV4([a = 0, b = 0, c = 0]: readonly number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 0 && c === 0) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19))
  );
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted quad included). */
function v6Groups(address: string): number[] {
  const text = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) => {
    const hex = (hi: string, lo: string): string => ((Number(hi) << 8) | Number(lo)).toString(16);
    return `${hex(a, b)}:${hex(c, d)}`;
  });
  const [head = '', rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((g) => parseInt(g, 16));
  const left = parse(head);
  const right = parse(rest ?? '');
  const fill = rest === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...fill, ...right];
}

function privateV6(g: readonly number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = (): number[] => [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroPrefix && g5 === 0 && g6 === 0) return g7 <= 1; // :: and ::1
  if (zeroPrefix && (g5 === 0xffff || g5 === 0)) return privateV4(embedded()); // mapped, compatible
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return privateV4(embedded()); // NAT64
  return (
    (g0 & 0xfe00) === 0xfc00 ||
    (g0 & 0xffc0) === 0xfe80 ||
    (g0 & 0xffc0) === 0xfec0 ||
    (g0 & 0xff00) === 0xff00
  );
}
