import { FastifyRequest } from 'fastify';
import { Principal } from './principal';

/**
 * A request once AccessControl has authenticated it (onRequest). The per-request guard this file was
 * named for is now a startup check (access-rules.ts): a route without an access rule never starts.
 */
export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };
