// The chart SDK: what chart and app code imports as `kc/chart`. Depends only on cdk8s, constructs and zod.
export { KcChart, isKcChart, valuesJsonSchema, ValuesInvalidError, type ChartMeta, type ReleaseInfo } from './kc-chart.js';
export { defineApp, type AppFunction, type AppContext, type AppReleaseMap } from './define-app.js';
export type { AppReleases, ChartValuesInput, ReleaseValuesOf, ValuesOverlay } from './release-values.js';
export { appName, fullname, selectorLabels, standardLabels, type NameOverrides } from './names.js';
export { secret } from './secret.js';
export type { ChartInfo } from './protocol.js';
export { yieldFields, YIELD_FIELDS_ANNOTATION } from './yield-fields.js';
export { hook, HOOK_ANNOTATIONS, type HookEvent, type HookOptions, type HookDeletePolicy } from './hooks.js';
export { check, type ChartTest, type TestContext } from './chart-test.js';
export { HelmRelease, type HelmReleaseProps } from './helm-release.js';
