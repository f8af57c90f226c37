import path from 'node:path';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import type { PublishedEnvironment } from '../gitops/types.js';
import type { SecretEncrypter } from '../gitops/publish-secrets.js';
import type { RegistryOptions } from '../oci/options.js';
import type { RegistryClient } from '../oci/types.js';
import { checkReleaseName } from '../release/name.js';
import { duplicateObjects, type KubeObject } from '../synth/index.js';
import type { SetFlag } from '../values/index.js';
import { prepareSynth, type SynthResult } from './synth.js';

/** Options of `kc publish` (and of `kc deploy` for an environment whose engine is Flux). */
export interface PublishOptions {
  project?: string;
  env: string;
  /** `oci://HOST/PATH` (no tag: the tag is the environment's name); default: the environment's gitops.repository. */
  repository?: string;
  valuesFiles?: string[];
  sets?: SetFlag[];
  /** Namespace for namespaced objects that name none; default: the environment's, else `default`. */
  namespace?: string;
  /** Connection flags; plain HTTP also when the environment's gitops.insecure says so. */
  registry?: RegistryOptions;
  /** `--sign --key FILE` (relative to the working directory); the environment's gitops.sign.key signs regardless. */
  sign?: { key: string };
  /** The password of an encrypted signing key, asked for only when needed. */
  password?: () => Promise<string>;
  /** Where SOURCE_DATE_EPOCH is read (default: the process's environment). */
  processEnv?: NodeJS.ProcessEnv;
  /** Encrypts a Secret for the environment's gitops.sops.age recipients (default: kc's SOPS writer). */
  encryptSecret?: (secret: KubeObject, recipients: readonly string[]) => Promise<KubeObject>;
  /** Opens the registry client instead of the network one (tests: an in-memory registry). */
  openRegistry?: () => RegistryClient;
}

/** What `kc publish` pushed: the environment, and `oci://HOST/PATH:ENV` with its digest. */
export interface PublishResult extends PublishedEnvironment {
  /** `oci://HOST/PATH:ENV` */
  reference: string;
}

function repositoryOf(rendered: SynthResult, options: PublishOptions): string {
  const repository = options.repository ?? rendered.environment?.gitops?.repository;
  if (!repository) {
    throw new KcError('USAGE', `kc publish needs a repository for environment "${options.env}"`, {
      hint: 'pass oci://HOST/PATH, or set gitops.repository in the environment in kc.config.ts',
    });
  }
  return repository;
}

/** What deploy refuses before applying, publish refuses before pushing: bad release names, shared objects. */
function checkPublishable(rendered: SynthResult): void {
  const hint = 'a release is named by the id of its chart in the app: rename it to lowercase letters, digits and "-"';
  for (const r of rendered.releases) checkReleaseName(r.name, { source: 'a chart id in the app', hint });
  const shared = duplicateObjects(
    rendered.releases.flatMap((r) => r.objects.map((object) => ({ release: r.name, object }))),
  ).filter((d) => d.first.release !== d.again.release);
  if (shared.length === 0) return;
  throw new KcError(
    'CHART_INVALID',
    `${shared.length} object(s) are defined by two releases of the app; one would overwrite the other`,
    {
      details: shared.map(
        ({ first, again }) =>
          `${again.object.kind}/${again.object.metadata?.name ?? '?'}: ` +
          `in releases ${first.release} and ${again.release}`,
      ),
      hint: 'give one of them another name (kind, namespace and name must be unique); `kc lint` lists them too',
    },
  );
}

/** The Secret encrypter the environment asks for (gitops.sops.age), or none (Secrets are then refused). */
async function secretEncrypter(
  ctx: KcContext,
  rendered: SynthResult,
  options: PublishOptions,
  created: string,
): Promise<SecretEncrypter | undefined> {
  const recipients = rendered.environment?.gitops?.sops?.age;
  if (!recipients?.length) return undefined;
  const encrypt = options.encryptSecret;
  if (encrypt) return (secret) => encrypt(secret, recipients);
  const { encryptSecretForSops, SOPS_VERSION } = await import('../gitops/sops.js');
  const { reusingEncrypter } = await import('../gitops/sops-reuse.js');
  const { fileCiphertextStore } = await import('../gitops/ciphertext-store.js');
  // sops's lastmodified is the artifact's created time: one fewer thing that differs between two publishes; and an
  // unchanged Secret keeps its earlier ciphertext, so that the same inputs publish the same digest.
  const fresh: SecretEncrypter = (secret) => encryptSecretForSops(secret, recipients, { now: new Date(created) });
  return reusingEncrypter(fresh, recipients, SOPS_VERSION, fileCiphertextStore(path.join(ctx.cacheDir, 'sops')));
}

/** The signing key file, if any: --key (relative to the working directory), else the environment's gitops.sign.key. */
function signingKeyFile(ctx: KcContext, rendered: SynthResult, options: PublishOptions): string | undefined {
  if (options.sign) return path.resolve(ctx.cwd, options.sign.key);
  const key = rendered.environment?.gitops?.sign?.key;
  return key ? path.resolve(rendered.dir ?? ctx.cwd, key) : undefined;
}

/**
 * Publishes an environment already rendered (as `kc deploy` renders it): lays out its releases, pushes one Flux OCI
 * artifact tagged with the environment's name, signs it when asked; same render, same digest (with Secrets: on a
 * machine that published them before, see gitops/sops-reuse.ts).
 */
export async function publishRendered(
  ctx: KcContext,
  rendered: SynthResult,
  options: PublishOptions,
): Promise<PublishResult> {
  const { parseOciReference, formatOciReference } = await import('../oci/reference.js');
  const repository = repositoryOf(rendered, options);
  const target = parseOciReference(repository);
  if (target.tag || target.digest) {
    throw new KcError('USAGE', `${repository}: kc publish takes a repository without a tag or digest`, {
      hint: `the tag is the environment's name: publish to oci://${target.registry}/${target.repository}`,
    });
  }
  checkPublishable(rendered);
  const { publishLayout } = await import('../gitops/publish-layout.js');
  const { createdTime, pushFluxArtifact } = await import('../gitops/publish.js');
  const created = createdTime(options.processEnv);
  const namespace = options.namespace ?? rendered.namespace ?? 'default';
  const layout = await publishLayout(rendered.releases, {
    namespace,
    encryptSecret: await secretEncrypter(ctx, rendered, options, created),
  });
  // A wrong key or password is found before anything is uploaded.
  const keyFile = signingKeyFile(ctx, rendered, options);
  const { readPrivateKeyFile } = await import('../oci/cosign-key.js');
  const key = keyFile ? await readPrivateKeyFile(keyFile, options.password) : undefined;
  const { openRegistry } = await import('../oci/open-registry.js');
  const insecure = rendered.environment?.gitops?.insecure ? { plainHttp: true } : {};
  const registry = { ...insecure, ...options.registry };
  const client = openRegistry({
    cwd: ctx.cwd,
    registry,
    registryAuth: ctx.registryAuth,
    openRegistry: options.openRegistry,
  });
  const project = rendered.project ?? path.basename(rendered.dir ?? ctx.cwd);
  const published = await pushFluxArtifact(
    layout,
    { project, env: options.env, created },
    { client, repository: target, key },
  );
  return { ...published, reference: formatOciReference({ ...target, tag: published.tag }) };
}

/** `kc publish [PROJECT] --env E [oci://HOST/PATH]`: renders the environment as kc deploy would, pushes it for Flux. */
export async function publishEnvironment(ctx: KcContext, options: PublishOptions): Promise<PublishResult> {
  const how = {
    target: options.project,
    env: options.env,
    valuesFiles: options.valuesFiles,
    sets: options.sets,
    namespace: options.namespace,
  };
  const prepared = await prepareSynth(ctx, how);
  if (prepared.mode !== 'project') {
    throw new KcError('USAGE', `${options.project ?? '.'} is a chart, not a project`, {
      hint: 'publish takes a project with kc.config.ts and an environment',
    });
  }
  return publishRendered(ctx, await prepared.render(), options);
}
