// How kc names itself to servers: like kubectl's "kubectl/v1.30.0 (linux/amd64) kubernetes/…", so audit and proxy
// logs tell kc apart. The version is package.json's, which the build embeds (as for `kc --version`).
import pkg from '../../package.json' with { type: 'json' };

// Go's names for Node's platforms and architectures, so kc's agent reads as kubectl's and helm's do.
const GO_OS: Record<string, string> = { win32: 'windows' };
const GO_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386' };

/** The User-Agent header value for a platform: `kc/<version> (<os>/<arch>) node/<version>`. */
export function userAgent(platform: string = process.platform, arch: string = process.arch): string {
  const os = GO_OS[platform] ?? platform;
  return `kc/${pkg.version} (${os}/${GO_ARCH[arch] ?? arch}) node/${process.versions.node}`;
}

/** The User-Agent kc sends with every request, to API servers, repositories and proxies. */
export const USER_AGENT: string = userAgent();
