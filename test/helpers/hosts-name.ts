// Proxy tests need a name that resolves to loopback but is not `localhost` (which Go, and so kc, never sends
// through an environment proxy): one from /etc/hosts, where the machine has one.
import fs from 'node:fs';

/** A name /etc/hosts maps to a 127.x address, other than localhost; undefined when there is none. */
export function loopbackHostsName(): string | undefined {
  const hosts = fs.existsSync('/etc/hosts') ? fs.readFileSync('/etc/hosts', 'utf8') : '';
  for (const line of hosts.split('\n')) {
    const [ip, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    const name = names.find((n) => /^[a-z][a-z0-9.-]*$/i.test(n) && n !== 'localhost');
    if (ip?.startsWith('127.') && name) return name;
  }
  return undefined;
}
