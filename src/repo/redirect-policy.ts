// Which redirects a download may follow, and whether its credentials may go along. Pure: addresses are passed in,
// nothing here resolves a name or opens a connection.
import net from 'node:net';

/** Where an address leads: this machine, the local link, a private network, or anywhere else. */
export type AddressClass = 'loopback' | 'link-local' | 'private' | 'public';

/** The class of an IPv4 or IPv6 address (an IPv4-mapped IPv6 address as its IPv4 one); undefined if not an IP. */
export function addressClass(address: string): AddressClass | undefined {
  const ip = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const kind = net.isIP(ip);
  if (kind === 4) return ipv4Class(ip.split('.').map(Number));
  if (kind !== 6) return undefined;
  const words = ipv6Words(ip);
  // ::ffff:a.b.c.d (and ::ffff:xxxx:xxxx) reach the IPv4 address.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return ipv4Class([words[6] >> 8, words[6] & 0xff, words[7] >> 8, words[7] & 0xff]);
  }
  if (words.slice(0, 7).every((w) => w === 0) && words[7] <= 1) return 'loopback'; // ::1, and :: (this host)
  if ((words[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((words[0] & 0xfe00) === 0xfc00) return 'private';
  return 'public';
}

function ipv4Class([a, b]: number[]): AddressClass {
  if (a === 127 || a === 0) return 'loopback'; // 0.0.0.0/8 connects to this host too
  if (a === 169 && b === 254) return 'link-local';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  return 'public';
}

function ipv6Words(ip: string): number[] {
  // An embedded dotted IPv4 tail becomes two words; "::" expands to the missing zero words.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  const word = (hi: string, lo: string) => ((Number(hi) << 8) | Number(lo)).toString(16);
  const text = dotted ? `${ip.slice(0, dotted.index)}${word(dotted[1], dotted[2])}:${word(dotted[3], dotted[4])}` : ip;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((w) => parseInt(w, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The class of a URL's host as written: an IP literal or `localhost`; undefined for a name that needs resolving. */
export function hostClass(hostname: string): AddressClass | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  return addressClass(host);
}

/** Why a redirect from a host of one class to a host of another is refused (server-side request forgery). */
export function ssrfRefusal(from: AddressClass, to: AddressClass): string | undefined {
  if (from === 'loopback' || to === 'public' || (from === 'private' && to === 'private')) return undefined;
  return `a ${from} host may not send kc to a ${to} address`;
}

/** The class of a redirect end: by its address when known, else by its host as written. */
export function endClass(end: RedirectEnd): AddressClass | undefined {
  return (end.address !== undefined ? addressClass(end.address) : undefined) ?? hostClass(end.url.hostname);
}

/** One end of a redirect: its URL and, when known, the address it was (or will be) reached at. */
export interface RedirectEnd {
  url: URL;
  address?: string;
}

/** Follow (with or without credentials) or refuse, saying why. */
export type RedirectDecision = { follow: true; sameOrigin: boolean } | { follow: false; reason: string };

/**
 * Judges one redirect: never to another scheme than http(s), never from https to http, never from a public host
 * to this machine, the local link or a private network. Credentials go along only to the same origin.
 */
export function judgeRedirect(from: RedirectEnd, to: RedirectEnd): RedirectDecision {
  if (to.url.protocol !== 'http:' && to.url.protocol !== 'https:') {
    return { follow: false, reason: `unsupported protocol ${to.url.protocol}` };
  }
  if (from.url.protocol === 'https:' && to.url.protocol === 'http:') {
    return { follow: false, reason: 'it would downgrade https to http' };
  }
  // A host known only by name counts as public until its address is known (the connection checks it again).
  const fromClass = endClass(from);
  const toClass = endClass(to);
  const refusal = toClass && ssrfRefusal(fromClass ?? 'public', toClass);
  if (refusal) return { follow: false, reason: refusal };
  return { follow: true, sameOrigin: from.url.origin === to.url.origin };
}

/** A URL as kc may print it: without a user name or password. */
export function displayUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return String(url).replace(/\/\/[^/@]*@/, '//');
  }
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}
