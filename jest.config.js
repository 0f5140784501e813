/** One jest run for unit, integration and end-to-end tests; see test/support for the shared Postgres and Kafka. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  // jose ships ES modules only: jest runs CommonJS, so it is transformed like our sources.
  transform: { '^.+\\.ts$': swc, '^.+/node_modules/jose/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: {
    '^@consent-ledger/domain$': '<rootDir>/libs/consent-domain/src',
    '^@consent-ledger/ledger-store$': '<rootDir>/libs/ledger-store/src',
    '^@consent-ledger/kafka-testkit$': '<rootDir>/libs/kafka-testkit/src',
    '^@consent-ledger/consent-client$': '<rootDir>/libs/consent-client/src',
    '^@consent-ledger/runtime$': '<rootDir>/libs/runtime/src',
    '^@consent-ledger/transparency-log$': '<rootDir>/libs/transparency-log/src',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};
