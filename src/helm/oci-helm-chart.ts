// A Helm chart in an OCI registry (Helm's config and content media types), fetched with kc's registry client:
// same credentials, TLS options, signature gate and digest checks as a kc chart.
import { DEFAULT_ARCHIVE_LIMITS, formatSize } from '../artifact/index.js';
import { KcError } from '../errors/index.js';
import { parseImageManifest } from '../oci/chart-manifest.js';
import { pickReference } from '../oci/chart-pull.js';
import { HELM_CONTENT_MEDIA_TYPE } from '../oci/media-types.js';
import { openRegistry } from '../oci/open-registry.js';
import { formatOciReference, parseOciReference } from '../oci/reference.js';
import { verifySignatures } from '../oci/verify-chart.js';
import type { ChartOrigin, SourceContext } from '../repo/chart-source.js';

/** A Helm chart's archive from a registry, and the manifest digest it was resolved to. */
export interface OciHelmChart {
  archive: Buffer;
  origin: ChartOrigin;
  label: string;
}

/** Resolves `oci://…` (tag, digest or --version range) to a Helm chart and downloads its archive. */
export async function fetchOciHelmChart(ctx: SourceContext, input: string, version?: string): Promise<OciHelmChart> {
  const ref = parseOciReference(input);
  if (version !== undefined && (ref.tag || ref.digest)) {
    throw new KcError('USAGE', `${input} names a ${ref.digest ? 'digest' : 'tag'} and --version ${version} another`, {
      hint: 'give the version either in the reference (oci://HOST/PATH/NAME:1.2.3) or with --version, not both',
    });
  }
  const client = openRegistry(ctx);
  const reference = await pickReference(client, ref, version);
  const tag = ref.digest ? ref.tag : reference;
  const named = formatOciReference({ registry: ref.registry, repository: ref.repository, tag, digest: ref.digest });
  const manifest = await client.getManifest(ref, reference);
  if (!manifest)
    throw new KcError('CHART_NOT_FOUND', `${named} does not exist`, { hint: 'check the name and version' });
  const layers = parseImageManifest(manifest.bytes, named).layers.filter(
    (l) => l.mediaType === HELM_CONTENT_MEDIA_TYPE,
  );
  if (layers.length !== 1) {
    throw new KcError('ARTIFACT_INVALID', `${named} has ${layers.length} Helm chart layers, not one`, {
      hint: 'push the chart again with `helm push`',
    });
  }
  const max = DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes;
  if (layers[0].size > max) {
    throw new KcError(
      'ARCHIVE_UNSAFE',
      `the chart ${named} is ${formatSize(layers[0].size)}, over ${formatSize(max)}`,
      {
        hint: 'check that the reference names a chart',
      },
    );
  }
  // Signatures are checked before the chart is downloaded, let alone rendered.
  await verifySignatures(ctx, client, ref, manifest.digest);
  const archive = await client.getBlob(ref, layers[0].digest, max);
  const source = formatOciReference({ registry: ref.registry, repository: ref.repository, tag });
  return { archive, origin: { source, digest: manifest.digest }, label: `${named}@${manifest.digest.slice(0, 19)}` };
}
