import { SetMetadata } from '@nestjs/common';

export const SCOPES = ['events:write', 'consents:read', 'audit:read', 'purposes:write', 'subjects:erase', 'keys:admin', 'enforcements:write'] as const;
export type Scope = (typeof SCOPES)[number];

export const ACCESS_METADATA = 'consent-ledger:access';

/** Who may call a route. Routes without one are refused: access is never granted by omission. */
export type Access = { kind: 'scope'; scope: Scope } | { kind: 'any-key' } | { kind: 'public' };

export const RequireScope = (scope: Scope) => SetMetadata(ACCESS_METADATA, { kind: 'scope', scope } satisfies Access);
export const AnyApiKey = () => SetMetadata(ACCESS_METADATA, { kind: 'any-key' } satisfies Access);
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies Access);
