// Throwaway TLS material for loopback test servers, made with the openssl binary: a CA, a server certificate it signs
// for 127.0.0.1, and an unrelated CA (for "wrong CA" tests). Valid one day, 127.0.0.1 only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** PEM bytes of a test CA, a server key and certificate it signed, and another CA that signed nothing here. */
export interface TestCerts {
  ca: Buffer;
  key: Buffer;
  cert: Buffer;
  otherCa: Buffer;
}

/** Makes the certificates in a temp directory (removed before returning); `dnsNames` are added to the server's. */
export function makeTestCerts(dnsNames: string[] = []): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-certs-'));
  const f = (name: string) => path.join(dir, name);
  const ssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', timeout: 20_000 });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    for (const ca of ['ca', 'other']) {
      const out = ['-keyout', f(`${ca}.key`), '-out', f(`${ca}.crt`)];
      ssl(['req', '-x509', ...ec, ...out, '-days', '1', '-subj', `/CN=kc test ${ca}`]);
    }
    ssl(['req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
    fs.writeFileSync(f('ext'), `subjectAltName=IP:127.0.0.1${dnsNames.map((n) => `,DNS:${n}`).join('')}\n`);
    ssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial',
      '-out', f('server.crt'), '-days', '1', '-extfile', f('ext')]);
    const read = (name: string) => fs.readFileSync(f(name));
    return { ca: read('ca.crt'), key: read('server.key'), cert: read('server.crt'), otherCa: read('other.crt') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
