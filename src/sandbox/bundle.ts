import fs from 'node:fs';
import path from 'node:path';
import type { BundleExports, RunResult } from '../chart/protocol.js';
import type { ExtractedArtifact } from '../artifact/index.js';
import type { LoadedBundle } from '../bundle/index.js';
import { kcRoot } from '../kc-root.js';
import { runSandboxed, SANDBOX_LIMITS, type SandboxLimits } from './run.js';

/**
 * A packaged chart presented as a loaded bundle, so synthesis treats it like any other: its `run` merges the
 * release's values here, in kc (the host), then runs the chart's code in the sandbox with plain data only; an
 * aborted `signal` (Ctrl-C) stops the sandbox process.
 */
export function sandboxedBundle(
  artifact: ExtractedArtifact,
  cacheDir: string,
  limits: SandboxLimits = SANDBOX_LIMITS,
  signal?: AbortSignal,
): LoadedBundle<BundleExports> {
  const { manifest } = artifact;
  const file = fs.realpathSync(artifact.bundleFile);
  const chart = { name: manifest.name, version: manifest.version, ...(manifest.appVersion ? { appVersion: manifest.appVersion } : {}) };
  const exports: BundleExports = {
    async run(request): Promise<RunResult> {
      const release = request.release ?? manifest.name;
      let values: Record<string, unknown>;
      try {
        // The schema is the one recorded at packaging time from this very bundle (its digest was verified).
        values = request.host.resolveValues({ release, chart, jsonSchema: manifest.values.schema, props: {} }).values;
      } catch (err) {
        return { ok: false, failure: { kind: 'chart', message: (err as Error).message, release } };
      }
      return runSandboxed(cacheDir, {
        bundle: file,
        release,
        namespace: request.host.namespace,
        env: request.host.env,
        chartVersion: manifest.version,
        appVersion: manifest.appVersion,
        values,
      }, limits, signal);
    },
  };
  // Stack traces name `file`; the source map's paths are relative to where kc bundles (its own root).
  return { exports, file, bundle: { file, mapFile: artifact.sourceMapFile, digest: manifest.bundle.digest, sourceRoot: path.join(kcRoot(), '.kc-bundle') } };
}
