import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '@consent-ledger/domain';
import { ConcurrencyError } from '@consent-ledger/ledger-store';
import { FastifyReply } from 'fastify';
import { DomainRuleViolation } from './domain-rule-violation';
import { PROBLEM_CONTENT_TYPE, Problem, ProblemException, problem } from './problem';
import { isSchemaValidationError, schemaValidationProblem } from './schema-validation-problem';

/** Every error leaves as application/problem+json; nothing internal leaks into `detail`. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = this.toProblem(exception);
    if (body.status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof ProblemException) return exception.problem;
    if (isSchemaValidationError(exception)) return schemaValidationProblem(exception);
    if (exception instanceof DomainRuleViolation) return fromDomainError(exception.error);
    if (exception instanceof ConcurrencyError) {
      return problem(409, 'version_conflict', exception.message);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return problem(status, codeOf(status), messageOf(exception));
    }
    if (isDatabaseUnavailable(exception)) {
      return problem(503, 'unavailable', 'the ledger database is unavailable; nothing was written, retry later');
    }
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
      return problem(fastifyError.statusCode, codeOf(fastifyError.statusCode, fastifyError.code), fastifyError.message ?? 'bad request');
    }
    return problem(500, 'internal_error', 'the request could not be processed');
  }
}

/** Connection failures (server down, restarting, pool timeout) as opposed to errors in a query. */
function isDatabaseUnavailable(exception: unknown): boolean {
  const error = exception as { code?: string; driverError?: { code?: string }; message?: string };
  const code = error.driverError?.code ?? error.code ?? '';
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code.startsWith('08') || code === '57P01' || code === '57P03'
    || /Connection terminated|timeout exceeded when trying to connect/i.test(error.message ?? '');
}

function fromDomainError(error: DomainError): Problem {
  const errors = error.field ? [{ field: error.field, message: error.message }] : undefined;
  return problem(domainStatus(error), error.code, error.message, errors);
}

function domainStatus(error: DomainError): number {
  if (error.code.startsWith('invalid_') || error.code === 'occurred_at_in_future') return 400;
  if (error.code.endsWith('_not_found')) return 404;
  return 422;
}

function codeOf(status: number, fastifyCode?: string): string {
  if (fastifyCode === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyCode === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'malformed_json';
  switch (status) {
    case 400: return fastifyCode?.startsWith('FST_ERR_CTP') ? 'malformed_body' : 'bad_request';
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 413: return 'payload_too_large';
    case 415: return 'unsupported_media_type';
    case 429: return 'rate_limited';
    case 503: return 'unavailable';
    default: return 'error';
  }
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
}
