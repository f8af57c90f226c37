// Finds a manifest's cosign signatures where cosign looks: the referrers API and its fallback tag (v3 bundles), then
// the legacy `sha256-<hex>.sig` tag. The three are read at once: on a registry without the referrers API (the CNCF
// registry, most hosted ones) each is one round trip.
import { KcError } from '../errors/index.js';
import { BUNDLE_MEDIA_TYPES } from './cosign-bundle.js';
import { DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST } from './media-types.js';
import type { FoundSignature } from './signature-verifier.js';
import type { Descriptor, FetchedManifest, RegistryClient, RepositoryRef } from './types.js';

/** The media type of a legacy cosign signature layer (its blob is the simple-signing payload). */
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
/** The layer annotation holding the base64 signature of a legacy layer. */
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';

/** Signatures read per source at most: a repository can hold any number, a verification stays bounded. */
export const MAX_SIGNATURES_PER_SOURCE = 32;
/** Size limit of one payload or bundle blob (cosign's are a few KiB). */
export const MAX_SIGNATURE_BLOB_BYTES = 512 * 1024;

/** `sha256:<hex>` → `sha256-<hex>`: the referrers fallback tag (and the stem of cosign's tags). */
export function referrersTag(digest: string): string {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new KcError('USAGE', `${digest} is not a sha256 digest`);
  return digest.replace(':', '-');
}

/** `sha256:<hex>` → `sha256-<hex>.sig`: where cosign keeps legacy signatures. */
export function signatureTag(digest: string): string {
  return `${referrersTag(digest)}.sig`;
}

function parseJson(manifest: FetchedManifest, what: string): any {
  try {
    return JSON.parse(manifest.bytes.toString('utf8'));
  } catch {
    throw new KcError('SIGNATURE_INVALID', `${what} is not JSON`);
  }
}

function descriptors(value: unknown): Descriptor[] {
  if (!Array.isArray(value)) return [];
  return value.filter((d): d is Descriptor => typeof d?.digest === 'string' && typeof d?.mediaType === 'string');
}

/** Bundles listed by a referrers index (from the API or the fallback tag). */
async function bundlesFromIndex(
  client: RegistryClient,
  repo: RepositoryRef,
  index: FetchedManifest,
  source: 'referrers' | 'fallback-tag',
): Promise<FoundSignature[]> {
  const entries = descriptors(parseJson(index, `the referrers index of ${source}`).manifests)
    .filter((d) => BUNDLE_MEDIA_TYPES.includes(d.artifactType ?? ''))
    .slice(0, MAX_SIGNATURES_PER_SOURCE);
  const found = await Promise.all(
    entries.map(async (entry): Promise<FoundSignature | undefined> => {
      const manifest = await client.getManifest(repo, entry.digest, [OCI_MANIFEST]);
      if (!manifest) return undefined; // listed, then deleted: nothing to judge
      const layer = descriptors(parseJson(manifest, `signature manifest ${entry.digest}`).layers).find((l) =>
        BUNDLE_MEDIA_TYPES.includes(l.mediaType),
      );
      if (!layer) return undefined;
      const bundle = await client.getBlob(repo, layer.digest, MAX_SIGNATURE_BLOB_BYTES);
      return { format: 'bundle', source, where: entry.digest, bundle };
    }),
  );
  return found.filter((f): f is FoundSignature => f !== undefined);
}

/** Legacy signatures: the layers of the `.sig` tag's manifest. */
async function legacySignatures(
  client: RegistryClient,
  repo: RepositoryRef,
  manifest: FetchedManifest,
  tag: string,
): Promise<FoundSignature[]> {
  const layers = descriptors(parseJson(manifest, `signature tag ${tag}`).layers)
    .map((layer, i) => ({ layer, i }))
    .filter(
      ({ layer }) =>
        layer.mediaType === SIMPLE_SIGNING_MEDIA_TYPE && typeof layer.annotations?.[SIGNATURE_ANNOTATION] === 'string',
    )
    .slice(0, MAX_SIGNATURES_PER_SOURCE);
  return Promise.all(
    layers.map(async ({ layer, i }): Promise<FoundSignature> => ({
      format: 'simple-signing',
      source: 'legacy-tag',
      where: `${tag} layer ${i}`,
      payload: await client.getBlob(repo, layer.digest, MAX_SIGNATURE_BLOB_BYTES),
      signature: layer.annotations![SIGNATURE_ANNOTATION],
      annotations: layer.annotations!,
    })),
  );
}

/** Every cosign signature of a manifest digest in its repository: bundles first, then legacy ones. */
export async function findSignatures(
  client: RegistryClient,
  repo: RepositoryRef,
  digest: string,
): Promise<FoundSignature[]> {
  const fallback = referrersTag(digest);
  const legacy = signatureTag(digest);
  const [referrers, fallbackIndex, sigManifest] = await Promise.all([
    client.getReferrers ? client.getReferrers(repo, digest) : Promise.resolve(undefined),
    client.getManifest(repo, fallback, [OCI_INDEX]),
    client.getManifest(repo, legacy, [OCI_MANIFEST, DOCKER_MANIFEST]),
  ]);
  const groups = await Promise.all([
    referrers ? bundlesFromIndex(client, repo, referrers, 'referrers') : [],
    fallbackIndex ? bundlesFromIndex(client, repo, fallbackIndex, 'fallback-tag') : [],
    sigManifest ? legacySignatures(client, repo, sigManifest, legacy) : [],
  ]);
  // A bundle listed both by the API and the fallback tag is one signature.
  const seen = new Set<string>();
  return groups.flat().filter((f) => f.format !== 'bundle' || (!seen.has(f.where) && (seen.add(f.where), true)));
}
