// Two projects: fast pure/CLI tests, and tests against the real local control plane.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022', experimental: { keepImportAttributes: true } }, module: { type: 'es6' } }];
const common = {
  testEnvironment: 'node',
  // The local cluster's etcd writes *.snap files under .kc/; jest would count them as obsolete snapshots.
  modulePathIgnorePatterns: ['<rootDir>/.kc/'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1', '^kc/chart$': '<rootDir>/src/chart/index.ts', '^kc/config$': '<rootDir>/src/config/define-config.ts' },
};
export default {
  // On a 2-core machine jest runs the test files inside its own process (in band): one handle a test leaves open (a
  // socket, a timer, a worker) would keep `npm test` alive after the summary, and CI would time out on a green run.
  // Leaks are found with --detectOpenHandles; CI must end.
  forceExit: true,
  // 30 s, not jest's 5: cosign keys are sealed with scrypt (N=65536), ~0.2 s each alone and seconds on 2 shared
  // cores while the integration tests' control plane runs. A global option: jest ignores it inside a project (the
  // integration project's 180 s below never applied; its long tests give their own timeouts).
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/{unit,cli,golden}/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/setup/global-teardown.ts',
    },
  ],
};
