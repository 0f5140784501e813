/**
 * What a request line (request-log.ts) holds of a request, by allow-list: no header (API keys, cookies,
 * user agents, forwarded addresses, idempotency keys), no client address, no body.
 */
export function requestLogLine(request: { id?: unknown; method?: string; url?: string }): Record<string, unknown> {
  // The query string may hold a subjectId; the path keeps the route and the pseudonymous subjectId only.
  return { id: request.id, method: request.method, path: request.url?.split('?')[0] };
}

export function responseLogLine(response: { statusCode?: number }): Record<string, unknown> {
  return { statusCode: response.statusCode };
}
