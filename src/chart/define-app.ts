import type { App } from 'cdk8s';

/** What an app function is told about the run. */
export interface AppContext {
  /** The environment being synthesized, if any. */
  env?: string;
  /** The namespace of that environment, if any. */
  namespace?: string;
}

/** An app: adds one chart per release to the cdk8s App it is given. */
export type AppFunction = (app: App, ctx: AppContext) => void;

/** Declares an app entry (the identity function, for types). */
export function defineApp(fn: AppFunction): AppFunction {
  return fn;
}
