import { defineConfig } from 'tsup';

/**
 * The published package: ESM and CJS with their declarations. The domain and transparency-log libraries are bundled in (they are
 * not published on their own), so the tarball depends on nothing but kafkajs; the SDK takes its statuses,
 * legal bases and rules from the domain, never from copies.
 */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  outDir: 'dist',
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  external: ['kafkajs'],
  noExternal: ['@consent-ledger/domain', '@consent-ledger/transparency-log'],
  dts: { resolve: ['@consent-ledger/domain', '@consent-ledger/transparency-log'] },
  sourcemap: true,
  clean: true,
});
