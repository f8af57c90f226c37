// oci:// charts where kc accepts a chart: resolve the reference, check signatures, download, verify and unpack.
import { cachedArtifact, extractArtifact, openArtifact, type OpenedArtifact } from '../artifact/index.js';
import { KcError } from '../errors/index.js';
import type { ChartOrigin, FetchedChart, OpenedChart, SourceContext } from '../repo/chart-source.js';
import { checkIdentity } from '../repo/chart-source.js';
import { pullChart, resolveChart, type ResolvedChart } from './chart-pull.js';
import { openRegistry } from './open-registry.js';
import { formatOciReference, parseOciReference } from './reference.js';
import { verifySignatures } from './verify-chart.js';
import type { RegistryClient } from './types.js';

/** A reference resolved to one manifest, its signatures checked when the options ask for it. */
interface Located {
  client: RegistryClient;
  resolved: ResolvedChart;
  origin: ChartOrigin;
  label: string;
}

async function locate(ctx: SourceContext, input: string, version: string | undefined): Promise<Located> {
  const ref = parseOciReference(input);
  if (version !== undefined && (ref.tag || ref.digest)) {
    throw new KcError(
      'USAGE',
      `${input} names a ${ref.digest ? 'digest' : 'tag'} and --version ${version} asks for another`,
      {
        hint: 'give the version either in the reference (oci://HOST/PATH/NAME:1.2.3) or with --version, not both',
      },
    );
  }
  const client = openRegistry(ctx);
  const resolved = await resolveChart(client, ref, version);
  const exact = { ...ref, tag: resolved.tag ?? ref.tag, digest: ref.digest };
  const source = formatOciReference(ref.digest ? { ...ref, tag: undefined } : { ...exact, digest: undefined });
  const label = `${source}@${resolved.digest.slice(0, 'sha256:'.length + 12)}`;
  // Signatures are checked before a byte of the chart is downloaded, let alone run.
  await verifySignatures(ctx, client, ref, resolved.digest);
  return { client, resolved, origin: { source, digest: resolved.digest }, label };
}

/** Checks that the .tgz is the chart the registry's config says it is. */
function checkConfig(opened: OpenedArtifact, resolved: ResolvedChart, label: string): void {
  checkIdentity(opened, resolved.config.name, resolved.config.version, label);
}

/** Downloads an oci:// chart's archive and verifies it, without unpacking it (`kc pull`, dependencies). */
export async function fetchOciChart(ctx: SourceContext, input: string, version?: string): Promise<FetchedChart> {
  const { client, resolved, origin, label } = await locate(ctx, input, version);
  const { archive } = await pullChart(client, resolved);
  const opened = await openArtifact(archive, label);
  checkConfig(opened, resolved, label);
  return { opened, archive, label, origin };
}

/** An oci:// chart unpacked in the cache: no download when its layer's digest is already unpacked. */
export async function openOciChart(ctx: SourceContext, input: string, version?: string): Promise<OpenedChart> {
  const { client, resolved, origin, label } = await locate(ctx, input, version);
  const layerHex = resolved.layer.digest.slice('sha256:'.length);
  const cached = cachedArtifact(ctx.cacheDir, layerHex);
  if (cached) return { ...cached, origin };
  const { archive } = await pullChart(client, resolved);
  const opened = await openArtifact(archive, label);
  checkConfig(opened, resolved, label);
  return { ...extractArtifact(ctx.cacheDir, opened), origin };
}

/** An oci:// chart's identity and values from its config blob alone: no archive is downloaded, no code runs. */
export async function describeOciChart(ctx: SourceContext, input: string, version?: string) {
  const { resolved, origin } = await locate(ctx, input, version);
  const { name, version: chartVersion, appVersion, description, values } = resolved.config;
  const chart = {
    name,
    version: chartVersion,
    ...(appVersion ? { appVersion } : {}),
    ...(description ? { description } : {}),
  };
  return { chart, jsonSchema: values.schema, defaults: values.defaults, origin };
}
