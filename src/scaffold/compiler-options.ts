import path from 'node:path';

// Each path tries the project's install first (node_modules/kc: what package.json names, on any machine), then the
// kc at `root` that made the project, so types resolve before (or without) `npm install` too.
const local = './node_modules/kc';

/** Compiler options of a kc project: strict ESM, with `kc/*` and kc's own packages resolved from kc's install. */
export function kcCompilerOptions(root: string): Record<string, unknown> {
  return {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2023'],
    types: ['node'],
    typeRoots: ['./node_modules/@types', `${local}/node_modules/@types`, path.join(root, 'node_modules', '@types')],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    isolatedModules: true,
    forceConsistentCasingInFileNames: true,
    paths: {
      'kc/chart': [`${local}/src/chart/index.ts`, path.join(root, 'src/chart/index.ts')],
      'kc/config': [`${local}/src/config/define-config.ts`, path.join(root, 'src/config/define-config.ts')],
      // Packages the project has not installed (cdk8s, constructs, zod) resolve from kc's node_modules.
      '*': ['./node_modules/*', `${local}/node_modules/*`, path.join(root, 'node_modules/*')],
    },
  };
}
