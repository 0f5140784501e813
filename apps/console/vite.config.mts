import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Built into dist/console, served by the ledger at /console (apps/consent-ledger/src/console). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // The polyfill would be the only inline-capable code; every target browser has modulepreload.
    modulePreload: { polyfill: false },
    // No data: URLs for assets: the CSP allows scripts, styles and images from 'self' only.
    assetsInlineLimit: 0,
  },
});
