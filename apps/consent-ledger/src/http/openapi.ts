import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem';

export const BEARER_SCHEME = 'bearer';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', example: 'urn:consent-ledger:problem:validation_failed' },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string', example: 'events[0].purpose' }, message: { type: 'string' } } },
    },
  },
};

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'malformed JSON or invalid fields (each named in `errors`)',
  401: 'no API key, or an unknown, revoked or expired one',
  403: 'the API key lacks the scope this route requires',
  404: 'unknown resource',
  409: 'If-Match does not name the current streamVersion',
  413: 'body larger than the limit',
  414: 'a path parameter longer than any identifier',
  415: 'body not sent as application/json',
  422: 'a rule refuses the request (unknown or retired purpose, event not allowed for the legal basis, Idempotency-Key reused with another body)',
  429: 'rate limited; see Retry-After',
  503: 'a dependency (Postgres) is down; nothing was written',
};

/**
 * The OpenAPI document served at /docs-json and committed as docs/openapi.json. Nest's generator
 * leaves out what the decorators cannot say; this fills in the parts common to every route: the
 * problem+json answers, and the bearer scheme as what it is (an opaque key, not a JWT).
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('consent-ledger')
      .setDescription('Event-sourced GDPR consent ledger: record choices, check before processing, prove the lawful basis. '
        + 'Errors are application/problem+json (RFC 9457).')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque API key', description: 'an API key from POST /v1/api-keys, or CONSENT_ADMIN_KEY' }, BEARER_SCHEME)
      .build(),
  );
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      addSuccessResponses(path, method, operation);
      addProblemResponses(path, method, operation);
    }
  }
  return document;
}

/** Answers the decorators of a route cannot express (one handler choosing its status). */
const EXTRA_SUCCESS: Record<string, Record<number, string>> = {
  'put /v1/purposes/{purposeId}': { 201: 'the first version of the purpose was published', 200: 'a new version was published, or the body is identical to the current version (no-op)' },
};

function addSuccessResponses(path: string, method: (typeof METHODS)[number], operation: Operation): void {
  for (const [status, description] of Object.entries(EXTRA_SUCCESS[`${method} ${path}`] ?? {})) {
    operation.responses[status] = { ...operation.responses[status], description };
  }
  for (const [status, response] of Object.entries(operation.responses)) {
    if (Number(status) >= 300 || !response || !('description' in response)) continue;
    if (!response.description) response.description = Number(status) === 201 ? 'Created' : 'OK';
    // Every /v1 answer is a JSON document (docs/api.md gives each one's fields).
    if (path.startsWith('/v1/') && !response.content) response.content = { 'application/json': { schema: { type: 'object' } } };
  }
}

function addProblemResponses(path: string, method: (typeof METHODS)[number], operation: Operation): void {
  const authenticated = (operation.security ?? []).length > 0;
  const hasBody = operation.requestBody !== undefined;
  const hasInput = hasBody || (operation.parameters ?? []).length > 0;
  const statuses = [
    ...(hasInput ? [400] : []),
    ...(authenticated ? [401, 403, 429] : []),
    ...(path.includes('{') ? [404, 414] : []),
    ...(hasBody ? [413, 415] : []),
    ...(path.startsWith('/v1/') ? [503] : []),
    ...(method === 'post' && path.endsWith('/events') ? [409, 422] : []),
    ...((method === 'put' || method === 'delete') && path.startsWith('/v1/purposes/') ? [422] : []),
  ];
  for (const status of statuses) {
    operation.responses[status] ??= {
      description: PROBLEM_DESCRIPTIONS[status],
      content: { [PROBLEM_CONTENT_TYPE.split(';')[0]]: { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
}
