import { Inject, Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ProblemException } from '../http/problem';
import { AuthenticatedRequest } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { Access } from './scopes';

/**
 * Authentication and scopes, in Fastify's onRequest hook: it runs before the body is read, so an
 * unauthenticated caller learns nothing about the body rules (401 comes first) and costs no
 * parsing. An address that presented too many unknown keys is refused (429) before any lookup.
 */
@Injectable()
export class AccessControl {
  private readonly failures: AuthFailureLimiter;

  constructor(
    private readonly apiKeys: ApiKeyService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.failures = new AuthFailureLimiter(config.authFailuresPerMinute);
  }

  readonly onRequest = async (request: AuthenticatedRequest, reply: FastifyReply): Promise<void> => {
    // Unknown routes answer 404 whoever asks.
    if (request.is404) return;
    const access = (request.routeOptions.config as { access?: Access }).access;
    // No rule: a route outside Nest's controllers (the docs) is public; a controller route without
    // one is refused by ApiKeyGuard.
    if (access === undefined || access.kind === 'public') return;
    const principal = await this.authenticate(request, reply);
    request.principal = principal;
    if (access.kind === 'scope' && !principal.scopes.has(access.scope)) {
      throw ProblemException.of(403, 'missing_scope', `this API key lacks the scope ${access.scope}`);
    }
  };

  private async authenticate(request: AuthenticatedRequest, reply: FastifyReply) {
    const match = request.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!match) throw ProblemException.of(401, 'unauthenticated', 'an API key is required: Authorization: Bearer <key>');
    const retryAfter = this.failures.retryAfterSeconds(request.ip);
    if (retryAfter > 0 && !this.apiKeys.wasRecentlyValid(match[1])) {
      void reply.header('retry-after', String(retryAfter));
      throw ProblemException.of(429, 'rate_limited', 'too many unknown API keys from this address; retry later');
    }
    const principal = await this.apiKeys.authenticate(match[1]);
    if (!principal) {
      this.failures.record(request.ip);
      throw ProblemException.of(401, 'unauthenticated', 'unknown, revoked or expired API key');
    }
    return principal;
  }
}
