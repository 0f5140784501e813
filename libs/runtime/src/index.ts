export { dockerAvailable } from './docker-available';
export { startEmbeddedPostgres, type EmbeddedPostgresHandle, type EmbeddedPostgresOptions } from './embedded-postgres';
export { findFreePort } from './free-port';
export { withPgClient } from './with-pg-client';
