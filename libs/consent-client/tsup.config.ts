import { defineConfig } from 'tsup';

/**
 * The published package: ESM and CJS with their declarations. The domain library is bundled in (it is
 * not published on its own), so the tarball depends on nothing but kafkajs; the SDK takes its statuses,
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
  noExternal: ['@consent-ledger/domain'],
  dts: { resolve: ['@consent-ledger/domain'] },
  sourcemap: true,
  clean: true,
});
