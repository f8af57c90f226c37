import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { internalError } from '../errors/index.js';
import type { ImmutableChange } from '../kube/replace.js';
import { describeRef, refOf, type KubeObject, type ObjectRef } from '../kube/types.js';
import { toYaml } from '../synth/yaml.js';
import { cleanForDiff } from './clean.js';
import { redactSecretObject } from './redact.js';

/** What applying the desired state would do to one object. */
export type ChangeAction = 'create' | 'update' | 'delete' | 'unchanged';

/** How to compute a diff. */
export interface DiffOptions {
  /** Show Secret values instead of digests. */
  showSecrets?: boolean;
  /** Lines of context around each change (default 3). */
  context?: number;
}

/** The change to one object, with a unified diff of its YAML (empty when unchanged). */
export interface ObjectChange {
  ref: ObjectRef;
  action: ChangeAction;
  patch: string;
  /** Fields another field manager owns, which the apply would have to take (--force-conflicts). */
  conflicts?: string[];
  /** The update is refused as immutable: the deploy replaces the object, or fails. */
  immutable?: ImmutableChange;
}

function render(object: KubeObject | undefined, options: DiffOptions): string {
  if (!object) return '';
  const cleaned = cleanForDiff(object);
  return toYaml(options.showSecrets ? cleaned : redactSecretObject(cleaned));
}

/** Compares the live and desired versions of one object; either may be absent, not both. */
export function diffObjects(live: KubeObject | undefined, desired: KubeObject | undefined, options: DiffOptions = {}): ObjectChange {
  const subject = desired ?? live;
  if (!subject) throw internalError(new Error('diffObjects needs a live or a desired object'));
  const ref = refOf(subject);
  const action: ChangeAction = !live ? 'create' : !desired ? 'delete' : 'update';
  const before = render(live, options);
  const after = render(desired, options);
  if (action === 'update' && before === after) return { ref, action: 'unchanged', patch: '' };
  const name = describeRef(ref);
  const patch = createTwoFilesPatch(`live ${name}`, `desired ${name}`, before, after, undefined, undefined, {
    context: options.context ?? 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
  return { ref, action, patch };
}
