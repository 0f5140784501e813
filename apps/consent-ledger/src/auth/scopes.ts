import { SetMetadata, applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';

export const SCOPES = ['events:write', 'consents:read', 'audit:read', 'purposes:write', 'subjects:erase', 'keys:admin', 'enforcements:write'] as const;
export type Scope = (typeof SCOPES)[number];

export const ACCESS_METADATA = 'consent-ledger:access';

/** Who may call a route. Routes without one are refused: access is never granted by omission. */
export type Access = { kind: 'scope'; scope: Scope } | { kind: 'any-key' } | { kind: 'public' };

/**
 * On a route handler (not a controller): the rule goes both to Nest's metadata (read at startup by access-rules.ts) and to
 * the Fastify route's config, which AccessControl reads in onRequest, before the body is read.
 */
const access = (rule: Access) => applyDecorators(SetMetadata(ACCESS_METADATA, rule), RouteConfig({ access: rule }));

export const RequireScope = (scope: Scope) => access({ kind: 'scope', scope });
export const AnyApiKey = () => access({ kind: 'any-key' });
export const Public = () => access({ kind: 'public' });
