/**
 * ESM Jest with ts-jest, as actions/typescript-action sets it up. The global setup points ACTION_NODE
 * at the pinned Node 24 (installing it on first use), which runs dist/index.js in every suite.
 */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // The workflow parser's schema files, read as JSON (see __tests__/helpers/parser-schemas/read.ts).
    '^\\.\\./(action|workflow)-v1\\.0\\.min\\.json$': '<rootDir>/__tests__/helpers/parser-schemas/$1.ts'
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testTimeout: 30000,
  globalSetup: '<rootDir>/scripts/node24.mjs'
}
