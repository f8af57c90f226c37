// Where the `helm` binary is: KC_HELM, else the first `helm` on PATH. Helm charts are rendered by the real Helm.
import fs from 'node:fs';
import path from 'node:path';
import { KcError } from '../errors/index.js';

/** Whether a path is an executable regular file. */
function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

const INSTALL_HINT =
  'install Helm 4 (https://helm.sh/docs/intro/install/) or set KC_HELM=/path/to/helm; ' +
  'in a kc checkout, `npm run -s helm:build` builds one and `bash test/helm/helm.sh path` prints where';

/** The helm binary to run for `chart` (named in the error), or HELM_NOT_FOUND with how to get one. */
export function findHelm(env: NodeJS.ProcessEnv, chart: string): string {
  const configured = env.KC_HELM;
  if (configured) {
    if (executable(configured)) return configured;
    throw new KcError('HELM_NOT_FOUND', `KC_HELM=${configured} is not an executable file`, { hint: INSTALL_HINT });
  }
  const names = process.platform === 'win32' ? ['helm.exe'] : ['helm'];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const file = path.join(dir, name);
      if (executable(file)) return file;
    }
  }
  throw new KcError('HELM_NOT_FOUND', `${chart} is a Helm chart, and rendering it needs helm, which is not on PATH`, {
    hint: INSTALL_HINT,
  });
}
