import { FastifyRequest } from 'fastify';
import { Principal } from './principal';

/** A request once AccessControl has authenticated it (onRequest); routes without an access rule never start (access-rules.ts). */
export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };
