import path from 'node:path';

/** Compiler options of a kc project: strict ESM, with `kc/*` and kc's own packages resolved from kc's install. */
export function kcCompilerOptions(root: string): Record<string, unknown> {
  return {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2023'],
    types: ['node'],
    typeRoots: [path.join(root, 'node_modules', '@types')],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    isolatedModules: true,
    forceConsistentCasingInFileNames: true,
    paths: {
      'kc/chart': [path.join(root, 'src/chart/index.ts')],
      'kc/config': [path.join(root, 'src/config/define-config.ts')],
      // Packages the project has not installed (cdk8s, constructs, zod) resolve from kc's node_modules.
      '*': ['./node_modules/*', path.join(root, 'node_modules/*')],
    },
  };
}
