import pkg from '../package.json' with { type: 'json' };

/** kc's version, from package.json. */
export const KC_VERSION: string = pkg.version;
