import type { App } from 'cdk8s';

/** What an app function is told about the run. */
export interface AppContext {
  /** The environment being synthesized, if any. */
  env?: string;
  /** The namespace of that environment, if any. */
  namespace?: string;
}

/** The charts an app returns, by release name (`{ db, web }`): what types kc.config.ts's environment values. */
export type AppReleaseMap = Record<string, object>;

/**
 * An app: adds one chart per release to the cdk8s App it is given. It may return them by release name, so that
 * `defineConfig<typeof app>` checks each environment's values against those charts' schemas.
 */
export type AppFunction<R extends AppReleaseMap | void = AppReleaseMap | void> = (app: App, ctx: AppContext) => R;

/** Declares an app entry (the identity function, for types). */
export function defineApp<R extends AppReleaseMap | void>(fn: AppFunction<R>): AppFunction<R> {
  return fn;
}
