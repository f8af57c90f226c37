// NO_PROXY as Go's net/http reads it (golang.org/x/net/http/httpproxy), which kubectl and helm use: comma-separated
// entries, each `*` (no proxy at all), an IP or CIDR, or a domain ("example.com" matches it and its subdomains,
// ".example.com" and "*.example.com" only subdomains), IPs and domains optionally with :port.
import net from 'node:net';

/** Whether a request to host:port goes direct; `host` as in a URL (lower case, IPv6 without brackets). */
export type NoProxyMatch = (host: string, port: string) => boolean;

interface DomainEntry {
  suffix: string;
  port: string;
  /** True when the entry was written without a leading dot: it also matches the domain itself. */
  exact: boolean;
}

/** Splits host:port as Go's net.SplitHostPort does; undefined when there is no port. */
function splitHostPort(value: string): [string, string] | undefined {
  const colon = value.lastIndexOf(':');
  if (colon < 0) return undefined;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end + 1 === colon ? [value.slice(1, end), value.slice(colon + 1)] : undefined;
  }
  const host = value.slice(0, colon);
  return host.includes(':') ? undefined : [host, value.slice(colon + 1)];
}

/** An IP in canonical form (an IPv4-mapped IPv6 address as IPv4), or undefined for a name. */
function canonicalIp(value: string): string | undefined {
  const kind = net.isIP(value);
  if (kind === 0) return undefined;
  const mapped = kind === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value) : null;
  if (mapped) return mapped[1];
  return kind === 4 ? value : new URL(`http://[${value}]`).hostname.slice(1, -1);
}

/** Parses a NO_PROXY value; malformed entries are ignored, as Go does. */
export function parseNoProxy(value: string): NoProxyMatch {
  const cidrs = new net.BlockList();
  const ips: { ip: string; port: string }[] = [];
  const domains: DomainEntry[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return () => true;
    const slash = /^([^/]+)\/(\d{1,3})$/.exec(entry);
    const network = slash && canonicalIp(slash[1]);
    if (slash && network) {
      const family = net.isIP(network) === 4 ? 'ipv4' : 'ipv6';
      if (Number(slash[2]) <= (family === 'ipv4' ? 32 : 128)) cidrs.addSubnet(network, Number(slash[2]), family);
      continue;
    }
    const [host, port] = splitHostPort(entry) ?? [entry, ''];
    if (!host) continue;
    const ip = canonicalIp(host);
    if (ip) {
      ips.push({ ip, port });
      continue;
    }
    const name = host.startsWith('*.') ? host.slice(1) : host;
    domains.push({ suffix: name.startsWith('.') ? name : `.${name}`, port, exact: !name.startsWith('.') });
  }
  return (host, port) => {
    const ip = canonicalIp(host);
    if (ip) {
      if (cidrs.check(ip, net.isIP(ip) === 4 ? 'ipv4' : 'ipv6')) return true;
      if (ips.some((e) => e.ip === ip && (!e.port || e.port === port))) return true;
    }
    return domains.some(
      (d) => (host.endsWith(d.suffix) || (d.exact && host === d.suffix.slice(1))) && (!d.port || d.port === port),
    );
  };
}
