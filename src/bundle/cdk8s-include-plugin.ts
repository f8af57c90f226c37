// cdk8s's Include (and its Helm construct, which includes helm's output) loads files through `_loadurl.mjs` beside
// cdk8s, absent from a bundle ("Cannot find module …/_loadurl.mjs"). This esbuild plugin gives cdk8s's yaml.js kc's
// stand-in for `child_process` (src/chart/cdk8s-loadurl.ts), whichever copy of cdk8s the project imports.
import path from 'node:path';
import type * as esbuild from 'esbuild';

const CDK8S_YAML = /[\\/]cdk8s[\\/]lib[\\/]yaml\.js$/;

/** The esbuild plugin that makes cdk8s's Include and Helm work inside a kc bundle (`root`: kc's install). */
export function cdk8sIncludePlugin(root: string): esbuild.Plugin {
  const shim = path.join(root, 'src/chart/cdk8s-loadurl.ts');
  return {
    name: 'kc-cdk8s-include',
    setup(build) {
      build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
        CDK8S_YAML.test(args.importer) ? { path: shim } : undefined,
      );
    },
  };
}
