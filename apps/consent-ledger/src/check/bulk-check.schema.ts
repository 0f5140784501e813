import { SUBJECT_ID_PATTERN } from '@consent-ledger/domain';
import { PURPOSE_PROPERTY } from './check-query.schema';

export const MAX_BULK_CHECK = 10_000;

/** POST /v1/check's body, as BULK_CHECK_SCHEMA lets it through. */
export interface BulkCheckBody {
  purpose: string;
  subjectIds: string[];
}

/**
 * Validated by Fastify's compiled schema: ajv checks 10,000 ids in one generated loop, where
 * class-validator made a decorator call and a regex call per id. Descriptions are the rules a 400
 * names (schema-validation-problem.ts).
 */
export const BULK_CHECK_SCHEMA = {
  type: 'object',
  required: ['purpose', 'subjectIds'],
  additionalProperties: false,
  properties: {
    purpose: PURPOSE_PROPERTY,
    subjectIds: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BULK_CHECK,
      description: `subjectIds holds 1 to ${MAX_BULK_CHECK} ids`,
      items: { type: 'string', pattern: SUBJECT_ID_PATTERN.source, description: 'each subjectId must be 1-128 characters of [A-Za-z0-9._:@+-]' },
    },
  },
} as const;
