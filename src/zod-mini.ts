// kc validates its own files (project file, repositories.yaml, index.yaml, package.json, manifest.json,
// kc.lock.json) with zod/mini: the same checks as classic zod, at a fraction of the CLI bundle. Unlike classic
// zod, zod/mini loads no locale, so every issue would read just "Invalid input"; this installs the English
// messages classic zod gives. Import zod from here in host code (`import * as z from '../zod-mini.js'`).
// (Charts keep classic zod: src/chart/** runs inside chart bundles.)
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
