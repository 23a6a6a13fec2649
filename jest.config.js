// Jest runs our ESM TypeScript through ts-jest (transpile only: `npm run typecheck` checks types).
// Run it with `npm run test:jest` (it sets --experimental-vm-modules).

const esmTs = (tsconfig) => ({
  '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig }],
});

const moduleNameMapper = {
  // Sources import './x.js'; the file on disk is './x.ts'.
  '^(\\.{1,2}/.*)\\.js$': '$1',
  '^@chat/contracts$': '<rootDir>/libs/contracts/src/index.ts',
  '^@chat/client$': '<rootDir>/libs/client/src/index.ts',
  '^@chat/client/react$': '<rootDir>/libs/client/src/react/index.ts',
  // The api's public entry, from its sources (the host-app example imports it as a package would).
  '^@chat/api$': '<rootDir>/apps/api/src/index.ts',
};

const common = {
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

/** @type {import('jest').Config} */
export default {
  // End-to-end suites run real servers, processes and browsers: generous under a loaded CI machine.
  testTimeout: 30_000,
  // Suites run one after another (2 cores), and in one process they would pile up: ESM test
  // modules are not freed between files, and ~200 suites once exhausted the 4 GB heap. A worker
  // that has grown past this after a suite is replaced by a fresh one.
  workerIdleMemoryLimit: '1GB',
  projects: [
    {
      ...common,
      displayName: 'contracts',
      testEnvironment: 'node',
      transform: esmTs('<rootDir>/libs/contracts/tsconfig.json'),
      testMatch: ['<rootDir>/libs/contracts/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'api',
      testEnvironment: 'node',
      transform: esmTs('<rootDir>/apps/api/tsconfig.json'),
      testMatch: ['<rootDir>/apps/api/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testEnvironment: 'node',
      transform: esmTs('<rootDir>/test/tsconfig.json'),
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
    {
      ...common,
      displayName: 'client',
      testEnvironment: 'jsdom',
      // Node conditions, so that the tests' own `ws` server loads its Node build, not the browser stub.
      testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
      transform: esmTs('<rootDir>/libs/client/tsconfig.json'),
      setupFilesAfterEnv: ['<rootDir>/libs/client/src/testing/setup-testing-library.ts'],
      testMatch: ['<rootDir>/libs/client/src/**/*.spec.ts?(x)'],
    },
    {
      ...common,
      displayName: 'web',
      testEnvironment: 'jsdom',
      // Node conditions, so that the tests' own `ws` server loads its Node build, not the browser stub.
      testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
      transform: esmTs('<rootDir>/apps/web/tsconfig.json'),
      testMatch: ['<rootDir>/apps/web/src/**/*.spec.ts?(x)'],
    },
    {
      ...common,
      // The host-app example's page (React + @chat/client/react) against the running host app.
      displayName: 'host-app-web',
      testEnvironment: 'jsdom',
      testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
      transform: esmTs('<rootDir>/examples/host-app/web/tsconfig.json'),
      testMatch: ['<rootDir>/test/examples/**/*.e2e-spec.tsx'],
    },
  ],
};
