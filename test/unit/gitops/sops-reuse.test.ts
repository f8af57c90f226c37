import { reusingEncrypter, type CiphertextStore } from '../../../src/gitops/sops-reuse.js';
import type { KubeObject } from '../../../src/synth/index.js';

const A = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const B = 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj';

function memoryStore(): CiphertextStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const key = Buffer.alloc(32, 7);
  return { entries, key: () => key, get: (id) => entries.get(id), put: (id, text) => void entries.set(id, text) };
}

const secret = (password: string, name = 'db-creds'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'prod' },
  stringData: { password },
});

/** A fake SOPS encrypter: a new "ciphertext" each call, recording the recipients it was given. */
function countingEncrypter(recipients: string[]) {
  let calls = 0;
  const encrypt = async (s: KubeObject) => {
    calls++;
    const { stringData, ...rest } = s as KubeObject & { stringData: Record<string, string> };
    const enc = Object.fromEntries(Object.keys(stringData).map((k) => [k, `ENC[${calls}]`]));
    return {
      ...rest,
      stringData: enc,
      sops: { mac: `mac${calls}`, age: recipients.map((recipient) => ({ recipient })) },
    };
  };
  return { encrypt, calls: () => calls };
}

describe('reusingEncrypter', () => {
  test('the same Secret for the same recipients gets the same ciphertext, encrypted once', async () => {
    const store = memoryStore();
    const fake = countingEncrypter([A]);
    const first = await reusingEncrypter(fake.encrypt, [A], '3.13.3', store)(secret('s3cret'));
    const again = await reusingEncrypter(fake.encrypt, [A], '3.13.3', store)(secret('s3cret'));
    expect(again).toEqual(first);
    expect(fake.calls()).toBe(1);
    // The store holds ciphertext only, under an id that is not a plain hash of the password.
    const [[id, text]] = [...store.entries];
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(text).not.toContain('s3cret');
  });

  test('a changed value, name, recipient list or format version encrypts anew', async () => {
    const store = memoryStore();
    const fake = countingEncrypter([A]);
    await reusingEncrypter(fake.encrypt, [A], '3.13.3', store)(secret('one'));
    await reusingEncrypter(fake.encrypt, [A], '3.13.3', store)(secret('two'));
    await reusingEncrypter(fake.encrypt, [A], '3.13.3', store)(secret('one', 'other'));
    const both = countingEncrypter([A, B]);
    await reusingEncrypter(both.encrypt, [A, B], '3.13.3', store)(secret('one'));
    await reusingEncrypter(fake.encrypt, [A], '3.14.0', store)(secret('one'));
    expect(fake.calls() + both.calls()).toBe(5);
  });

  test('recipients in another order or repeated are the same recipients', async () => {
    const store = memoryStore();
    const fake = countingEncrypter([A, B]);
    await reusingEncrypter(fake.encrypt, [A, B], '3.13.3', store)(secret('x'));
    await reusingEncrypter(fake.encrypt, [B, A, B], '3.13.3', store)(secret('x'));
    expect(fake.calls()).toBe(1);
  });

  test('an entry that does not match the Secret (tampered, garbage, other recipients) is not used', async () => {
    const store = memoryStore();
    const fake = countingEncrypter([A]);
    const encrypt = reusingEncrypter(fake.encrypt, [A], '3.13.3', store);
    await encrypt(secret('x'));
    const [id] = [...store.entries.keys()];
    const stored = JSON.parse(store.entries.get(id)!);
    for (const bad of [
      'not json',
      JSON.stringify({ ...stored, metadata: { name: 'evil', namespace: 'prod' } }),
      JSON.stringify({ ...stored, stringData: { password: 'ENC', extra: 'ENC' } }),
      JSON.stringify({ ...stored, sops: { ...stored.sops, age: [{ recipient: B }] } }),
      JSON.stringify({ ...stored, sops: { age: stored.sops.age } }),
    ]) {
      store.entries.set(id, bad);
      const before = fake.calls();
      const out = await encrypt(secret('x'));
      expect(fake.calls()).toBe(before + 1);
      expect((out as { metadata: { name: string } }).metadata.name).toBe('db-creds');
    }
  });

  test("a chart's own SOPS Secret, returned as it is, is not stored", async () => {
    const store = memoryStore();
    const own = { ...secret('x'), sops: { mac: 'ENC[…]' } } as KubeObject;
    const out = await reusingEncrypter(async (s) => s, [A], '3.13.3', store)(own);
    expect(out).toBe(own);
    expect(store.entries.size).toBe(0);
  });
});
