// Types that let kc.config.ts check each environment's values against the charts of the app's releases.
import type { z } from 'zod';
import type { HelmRelease } from './helm-release.js';

/** What a values layer may set for a chart: its values input with every key optional (null deletes a key). */
export type ValuesOverlay<T> = T extends readonly unknown[]
  ? T // lists replace, they do not merge, so an item is written whole
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? { [K in keyof T]?: ValuesOverlay<T[K]> | null }
      : T;

/** The values input of a release's chart: z.input of a KcChart's schema, a HelmRelease's values type, else any map. */
export type ChartValuesInput<C> =
  NonNullable<C> extends { meta: { schema: infer S extends z.ZodType } }
    ? z.input<S>
    : NonNullable<C> extends HelmRelease<infer V>
      ? V
      : Record<string, unknown>;

/** Release name → chart, from an app that returns its charts (`typeof app`) or written out as such a map. */
export type AppReleases<A> = A extends (...args: never[]) => infer R ? R : A;

/** The values an environment may give each release of app `A`, by release name. */
export type ReleaseValuesOf<A> = { [K in keyof AppReleases<A>]?: ValuesOverlay<ChartValuesInput<AppReleases<A>[K]>> };
