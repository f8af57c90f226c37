// Why objects are still unready while a wait goes on: once an object has waited EXPLAIN_AFTER_MS, the wait looks up
// its explanation (as a timeout gives it: a pod's condition, the newest Warning event) and again every
// EXPLAIN_EVERY_MS, for the first MAX_EXPLAINED objects left only, since each lookup costs a LIST.
import type { Readiness } from './readiness.js';
import { refKey, type KubeClient, type KubeObject, type ObjectRef } from './types.js';
import { MAX_EXPLAINED, whyUnready } from './why-unready.js';

/** How long an object is unready before progress says why (ms). */
export const EXPLAIN_AFTER_MS = 5000;

/** How often the explanations of objects still unready are looked up again (ms). */
export const EXPLAIN_EVERY_MS = 5000;

/** What an explainer looks at: the objects left, and what was last read of each. */
export interface ExplainInput {
  left: ObjectRef[];
  object(ref: ObjectRef): KubeObject | undefined;
  readiness(ref: ObjectRef): Readiness;
}

/** The explanations of a wait's unready objects, looked up when due. */
export interface Explainer {
  /** When the next lookup is due (clock time, ms). */
  due(): number;
  /** Looks up the explanations of the first MAX_EXPLAINED objects left, when due; forgets those of others. */
  refresh(input: ExplainInput, now: number): Promise<void>;
  /** The last explanation of an object, if any. */
  why(ref: ObjectRef): string | undefined;
}

/** An explainer for a wait that started at `start` (clock time, ms). */
export function explainer(client: KubeClient, start: number): Explainer {
  let next = start + EXPLAIN_AFTER_MS;
  let whys = new Map<string, string>();
  return {
    due: () => next,
    why: (ref) => whys.get(refKey(ref)),
    async refresh({ left, object, readiness }, now) {
      const keys = new Set(left.map(refKey));
      whys = new Map([...whys].filter(([key]) => keys.has(key)));
      if (now < next) return;
      next = now + EXPLAIN_EVERY_MS;
      const explained = await Promise.all(
        left.slice(0, MAX_EXPLAINED).map(async (ref) => {
          const read = object(ref);
          return [refKey(ref), read && (await whyUnready(client, read, readiness(ref)))] as const;
        }),
      );
      whys = new Map(explained.filter((e): e is readonly [string, string] => Boolean(e[1])));
    },
  };
}
