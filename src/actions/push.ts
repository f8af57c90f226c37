import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_ARCHIVE_LIMITS, openArtifact, type ArtifactManifest } from '../artifact/index.js';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import type { RegistryOptions } from '../oci/options.js';
import { packChart } from './package.js';

/** Options of `kc push`. */
export interface PushOptions {
  /** A chart directory (packaged first) or a `.tgz` made by `kc package`. */
  chart: string;
  /** `oci://HOST/PATH`: the chart goes to `oci://HOST/PATH/<name>:<version>`. */
  destination: string;
  registry?: RegistryOptions;
  /** Sign the pushed digest with this cosign private key. */
  sign?: { key: string; password?: () => Promise<string> };
}

/** What `kc push` stored. */
export interface PushResult {
  /** `oci://HOST/PATH/NAME:TAG` */
  reference: string;
  /** The manifest's digest, `sha256:…`. */
  digest: string;
  manifest: ArtifactManifest;
  /** Where the signature was stored, when signed. */
  signature?: string;
}

async function archiveOf(ctx: KcContext, chart: string): Promise<{ archive: Buffer; label: string }> {
  const file = path.resolve(ctx.cwd, chart);
  const label = path.relative(ctx.cwd, file) || file;
  if (/\.tgz$/i.test(chart)) {
    if (!fs.existsSync(file)) {
      throw new KcError('CHART_NOT_FOUND', `${chart} does not exist`, {
        hint: 'pass a chart directory or a .tgz made by `kc package`',
      });
    }
    if (fs.statSync(file).size > DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes) {
      throw new KcError('ARCHIVE_UNSAFE', `${label} is larger than chart archives may be`, {
        hint: 'chart archives are small; check the file',
      });
    }
    return { archive: fs.readFileSync(file), label };
  }
  return { archive: (await packChart(ctx, { chart })).archive, label };
}

/** `kc push CHART_DIR|ARTIFACT.tgz oci://HOST/PATH`: stores the chart as an OCI artifact (tag = its version). */
export async function push(ctx: KcContext, options: PushOptions): Promise<PushResult> {
  const { parseOciReference, formatOciReference } = await import('../oci/reference.js');
  const target = parseOciReference(options.destination);
  if (target.tag || target.digest) {
    throw new KcError('USAGE', `${options.destination}: kc push takes a repository without a tag or digest`, {
      hint: `the tag is the chart's version: push to ${formatOciReference({ registry: target.registry, repository: target.repository })}`,
    });
  }
  const { archive, label } = await archiveOf(ctx, options.chart);
  const opened = await openArtifact(archive, label);
  // A wrong key or password is found before anything is uploaded.
  const { readPrivateKeyFile } = await import('../oci/cosign-key.js');
  const key = options.sign
    ? await readPrivateKeyFile(path.resolve(ctx.cwd, options.sign.key), options.sign.password)
    : undefined;
  const { openRegistry } = await import('../oci/open-registry.js');
  const { pushChart } = await import('../oci/chart-push.js');
  const client = openRegistry({ cwd: ctx.cwd, registry: options.registry, registryAuth: ctx.registryAuth });
  const pushed = await pushChart(client, target, archive, opened);
  const result: PushResult = { reference: pushed.reference, digest: pushed.digest, manifest: opened.manifest };
  if (key) {
    const { signArtifact } = await import('../oci/signature-store.js');
    const repo = { registry: target.registry, repository: `${target.repository}/${opened.manifest.name}` };
    result.signature = (await signArtifact(client, repo, pushed.digest, key)).reference;
  }
  return result;
}
