export { runBundle, type SynthRelease, type RunOptions } from './run.js';
export { sortForInstall, compareInstallOrder, INSTALL_ORDER, type KubeObject } from './order.js';
export { orderReleases } from './release-order.js';
export { duplicateObjects, type DuplicateObject } from './duplicates.js';
export { normalizeObject, CLUSTER_SCOPED_KINDS } from './normalize.js';
export { toYaml, toYamlStream, parseYamlStream, type YamlDocument } from './yaml.js';
export { createHost, type SynthHost, type HostRecord } from './host.js';
