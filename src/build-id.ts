declare const __KC_BUILD_ID__: string | undefined;

/**
 * Identifies the code of this kc: a digest of its sources set by the build (scripts/build.mjs); unbuilt code
 * (tests running the sources) gets one per process, so nothing remembered by one build is trusted by another.
 */
export const KC_BUILD_ID: string = typeof __KC_BUILD_ID__ === 'string' ? __KC_BUILD_ID__ : `unbuilt-${process.pid}-${Date.now()}`;
