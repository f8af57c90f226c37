/** The file that marks a folder as a kc release for the plugin (its `discover` rule) and says what to render. */
export const RELEASE_FILE = 'kc-release.yaml';
