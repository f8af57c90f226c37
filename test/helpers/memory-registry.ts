// An in-memory RegistryClient for tests of what sits on top of the registry client (push, resolve, pull, CLI):
// manifests by tag and digest, blobs by digest, tags in push order. It checks digests as a registry does.
import crypto from 'node:crypto';
import type { FetchedManifest, RegistryClient, RepositoryRef } from '../../src/oci/types.js';

const sha = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

/** The memory registry: its client, and its contents for assertions (keys are `registry/repository`). */
export interface MemoryRegistry {
  client: RegistryClient;
  manifests: Map<string, Map<string, FetchedManifest>>;
  blobs: Map<string, Map<string, Buffer>>;
  /** Every call made, as `method repository reference`. */
  calls: string[];
}

/** A new, empty memory registry. */
export function memoryRegistry(): MemoryRegistry {
  const manifests = new Map<string, Map<string, FetchedManifest>>();
  const blobs = new Map<string, Map<string, Buffer>>();
  const calls: string[] = [];
  const name = (r: RepositoryRef) => `${r.registry}/${r.repository}`;
  const of = <T>(map: Map<string, Map<string, T>>, r: RepositoryRef) => {
    if (!map.has(name(r))) map.set(name(r), new Map());
    return map.get(name(r))!;
  };
  const client: RegistryClient = {
    async getManifest(repo, reference) {
      calls.push(`getManifest ${name(repo)} ${reference}`);
      return of(manifests, repo).get(reference);
    },
    async putManifest(repo, reference, bytes, mediaType) {
      calls.push(`putManifest ${name(repo)} ${reference}`);
      const m = { bytes, digest: sha(bytes), mediaType };
      of(manifests, repo).set(reference, m);
      of(manifests, repo).set(m.digest, m);
      return m.digest;
    },
    async getBlob(repo, digest, maxBytes) {
      calls.push(`getBlob ${name(repo)} ${digest}`);
      const b = of(blobs, repo).get(digest);
      if (!b) throw new Error(`no blob ${digest}`);
      if (b.length > maxBytes) throw new Error(`blob ${digest} over ${maxBytes}`);
      return b;
    },
    async pushBlob(repo, bytes, mediaType) {
      calls.push(`pushBlob ${name(repo)} ${mediaType}`);
      const digest = sha(bytes);
      of(blobs, repo).set(digest, bytes);
      return { mediaType, digest, size: bytes.length };
    },
    async listTags(repo) {
      calls.push(`listTags ${name(repo)}`);
      return [...of(manifests, repo).keys()].filter((k) => !k.startsWith('sha256:'));
    },
  };
  return { client, manifests, blobs, calls };
}
