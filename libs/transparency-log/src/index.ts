export * from './checkpoint';
export * from './ed25519-key';
export * from './merkle-appender';
export * from './merkle-hash';
export * from './merkle-proofs';
export * from './signed-note';
export * from './subtree';
export * from './tlog-proof';
