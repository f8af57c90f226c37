// Secret values must not leave kc through an error: the API server quotes invalid values in its answers ("Invalid
// value: \"s3cret\""), and those texts are printed and stored as a revision's description (`kc history`). Every
// text an operation reports is therefore cleaned of the plan's secret values: values at secret() paths, and every
// Secret object's data (as sent, base64, and decoded) and stringData.
import { KcError, isKcError } from '../errors/index.js';
import type { KubeObject } from '../kube/types.js';
import type { ObjectState } from '../kube/wait.js';
import { getPath, type PathSegment } from '../values/index.js';

/** Shorter values are not hidden: replacing every "1" or "ab" in a message would hide the message instead. */
const MIN_SECRET_LENGTH = 4;

/** What replaces a secret value in a message. */
export const REDACTED_TEXT = '<redacted>';

/** The parts of a plan that hold secrets. */
export interface SecretSources {
  values: Record<string, unknown>;
  secretPaths: readonly PathSegment[][];
  objects: readonly KubeObject[];
  /** A plan's hooks (`hooks`) or a record's (`hookObjects`). */
  hooks?: readonly KubeObject[];
  hookObjects?: readonly KubeObject[];
}

function stringsOf(map: unknown, base64: boolean): string[] {
  if (!map || typeof map !== 'object') return [];
  return Object.values(map as Record<string, unknown>).flatMap((v) => {
    if (typeof v !== 'string') return [];
    return base64 ? [v, Buffer.from(v, 'base64').toString('utf8')] : [v];
  });
}

/** Every secret string of a plan, longest first (so a value containing another is replaced whole). */
export function secretStrings(plan: SecretSources): string[] {
  const fromValues = plan.secretPaths.flatMap((path) => {
    const value = getPath(plan.values, path);
    return typeof value === 'string' ? [value] : value === undefined ? [] : [JSON.stringify(value)];
  });
  const fromSecrets = [...plan.objects, ...(plan.hooks ?? []), ...(plan.hookObjects ?? [])]
    .filter((o) => o.kind === 'Secret')
    .flatMap((o) => [...stringsOf(o.data, true), ...stringsOf(o.stringData, false)]);
  const all = new Set([...fromValues, ...fromSecrets].filter((s) => s.length >= MIN_SECRET_LENGTH));
  return [...all].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of each secret replaced by REDACTED_TEXT. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED_TEXT);
  return out;
}

/** The error as it may be shown and stored: message, details and hint without secrets (the cause is dropped). */
export function redactError(err: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return err;
  if (isKcError(err)) {
    const clean = (s: string) => redactText(s, secrets);
    const texts = [err.message, err.hint ?? '', ...err.details];
    if (!texts.some((t) => clean(t) !== t)) return err;
    return new KcError(err.code, clean(err.message), { hint: err.hint && clean(err.hint), details: err.details.map(clean) });
  }
  if (err instanceof Error && redactText(err.message, secrets) !== err.message) {
    return new Error(redactText(err.message, secrets));
  }
  return err;
}

/** `states` with every secret string replaced in their reasons, messages and explanations. */
export function redactStates(states: ObjectState[], secrets: readonly string[]): ObjectState[] {
  if (secrets.length === 0) return states;
  return states.map(({ ref, readiness, why }) => ({
    ref,
    readiness: {
      ...readiness,
      reason: redactText(readiness.reason, secrets),
      ...(readiness.message === undefined ? {} : { message: redactText(readiness.message, secrets) }),
    },
    ...(why === undefined ? {} : { why: redactText(why, secrets) }),
  }));
}
