import { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, Problem, problem } from './problem';

/** Errors Fastify raises before any route runs (a path parameter over maxParamLength, a malformed URL). */
export function frameworkErrorProblem(error: FastifyError): Problem {
  switch (error.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problem(414, 'uri_too_long', 'a path parameter is longer than any identifier this API accepts');
    case 'FST_ERR_BAD_URL':
      return problem(400, 'bad_url', 'the URL is not validly percent-encoded');
    default:
      return problem(400, 'bad_request', 'the request could not be routed');
  }
}

export function sendFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const body = frameworkErrorProblem(error);
  void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (headers over the limit: 431,
 * unparsable request line: 400, slow client: 408), answered on the raw socket and closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const body = error.code === 'HPE_HEADER_OVERFLOW'
    ? problem(431, 'headers_too_large', 'the request headers exceed the size this server accepts')
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? problem(408, 'request_timeout', 'the request was not received in time')
      : problem(400, 'malformed_request', 'the request is not valid HTTP/1.1');
  const payload = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n`
    + `Content-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
  );
}
