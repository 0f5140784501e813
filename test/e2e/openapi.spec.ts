import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerApp } from './ledger-app';

const COMMITTED = join(__dirname, '..', '..', 'docs', 'openapi.json');

/**
 * docs/openapi.json is what /docs-json serves. `npm run openapi` (UPDATE_OPENAPI=1) rewrites it;
 * otherwise a difference fails, so the committed document never lags behind the code.
 */
describe('the OpenAPI document', () => {
  let ledger: LedgerApp;
  let document: any;

  beforeAll(async () => {
    ledger = await LedgerApp.start();
    document = (await ledger.get('/docs-json', null)).body;
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(COMMITTED, `${JSON.stringify(document, null, 2)}\n`);
  });
  afterAll(() => ledger.close());

  it('matches docs/openapi.json (regenerate with npm run openapi)', () => {
    expect(document).toEqual(JSON.parse(readFileSync(COMMITTED, 'utf8')));
  });

  it('describes the bearer scheme as an opaque key, not a JWT', () => {
    expect(document.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque API key' }));
  });

  it('gives every operation a success and problem+json answers, and 201 and 200 for PUT purpose', () => {
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        const statuses = Object.keys(operation.responses).map(Number);
        expect({ path, method, success: statuses.some((status) => status < 300) }).toEqual({ path, method, success: true });
        if (path.startsWith('/v1/')) {
          expect(operation.responses['503'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
        }
      }
    }
    expect(Object.keys(document.paths['/v1/purposes/{purposeId}'].put.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '401', '403', '422']));
  });

  it('lists every query parameter', () => {
    const query = (path: string) => document.paths[path].get.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name).sort();
    expect(query('/v1/check')).toEqual(['minPosition', 'purpose', 'subjectId']);
    expect(query('/v1/subjects/{subjectId}/events')).toEqual(['after', 'limit', 'purpose']);
    expect(query('/v1/events')).toEqual(['after', 'limit']);
    expect(query('/v1/subjects/{subjectId}/consents')).toEqual(['at', 'minPosition']);
    expect(query('/v1/subjects/{subjectId}/consents/{purposeId}')).toEqual(['at', 'minPosition']);
  });
});
