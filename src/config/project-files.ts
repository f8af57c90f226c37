// Its own module so that the launcher (cli/launch.ts) can tell a project folder without loading the rest of kc.

/** File names a project file may have, in the order they are looked for. */
export const PROJECT_FILES = ['kc.config.ts', 'kc.config.mts', 'kc.config.js', 'kc.config.mjs'];
