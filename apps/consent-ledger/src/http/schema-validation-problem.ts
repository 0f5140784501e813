import { FieldError, Problem, problem } from './problem';

/** What Fastify attaches to the error of a request its compiled route schema refused (ajv errors, verbose). */
interface SchemaError {
  instancePath: string;
  keyword: string;
  params: { missingProperty?: string; additionalProperty?: string };
  message?: string;
  parentSchema?: { description?: string; properties?: Record<string, { description?: string }> };
}

export interface SchemaValidationError {
  validation: SchemaError[];
  validationContext?: string;
}

const MAX_FIELD_ERRORS = 20;

/** A JSON pointer as the class-validator pipe names fields: `/events/0/purpose` is `events[0].purpose`. */
const fieldOf = (pointer: string): string =>
  pointer.split('/').slice(1).reduce((field, part) => (/^\d+$/.test(part) ? `${field}[${part}]` : field === '' ? part : `${field}.${part}`), '');

export function isSchemaValidationError(error: unknown): error is SchemaValidationError {
  return typeof error === 'object' && error !== null && Array.isArray((error as { validation?: unknown }).validation);
}

/**
 * The same 400 the class-validator pipe gives (validation.pipe.ts): every refused field named, with the
 * rule its schema's `description` states, and unknown fields refused as whitelisting refuses them.
 */
export function schemaValidationProblem({ validation }: SchemaValidationError): Problem {
  const errors = validation.map((error): FieldError => {
    if (error.keyword === 'additionalProperties') {
      const field = error.params.additionalProperty ?? '';
      return { field, message: `property ${field} should not exist` };
    }
    if (error.keyword === 'required') {
      const field = error.params.missingProperty ?? '';
      return { field, message: error.parentSchema?.properties?.[field]?.description ?? `${field} is required` };
    }
    return { field: fieldOf(error.instancePath), message: error.parentSchema?.description ?? error.message ?? 'invalid' };
  });
  // A send list of 10,000 bad ids must not make a 10,000-entry answer: the first ones show the mistake.
  return problem(400, 'validation_failed', 'the request has invalid fields', errors.slice(0, MAX_FIELD_ERRORS));
}
