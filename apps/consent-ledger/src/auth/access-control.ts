import { Inject, Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ProblemException } from '../http/problem';
import { AuthenticatedRequest } from './authenticated-request';
import { ApiKeyService } from './api-key.service';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { Principal } from './principal';
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

  /** Synchronous while the key's answer is cached (every request but one per key per second). */
  readonly onRequest = (request: AuthenticatedRequest, reply: FastifyReply, done: (error?: Error) => void): void => {
    // Unknown routes answer 404 whoever asks.
    if (request.is404) return done();
    const access = (request.routeOptions.config as { access?: Access }).access;
    // No rule: a route outside Nest's controllers (the docs) is public; a controller route without
    // one cannot start (AccessRules).
    if (access === undefined || access.kind === 'public') return done();
    const match = request.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!match) return done(ProblemException.of(401, 'unauthenticated', 'an API key is required: Authorization: Bearer <key>'));
    const retryAfter = this.failures.retryAfterSeconds(request.ip);
    if (retryAfter > 0 && !this.apiKeys.wasRecentlyValid(match[1])) {
      void reply.header('retry-after', String(retryAfter));
      return done(ProblemException.of(429, 'rate_limited', 'too many unknown API keys from this address; retry later'));
    }
    const principal = this.apiKeys.authenticate(match[1]);
    if (principal instanceof Promise) principal.then((found) => this.admit(request, access, found, done), done);
    else this.admit(request, access, principal, done);
  };

  private admit(request: AuthenticatedRequest, access: Access, principal: Principal | null, done: (error?: Error) => void): void {
    if (!principal) {
      this.failures.record(request.ip);
      return done(ProblemException.of(401, 'unauthenticated', 'unknown, revoked or expired API key'));
    }
    request.principal = principal;
    if (access.kind === 'scope' && !principal.scopes.has(access.scope)) {
      return done(ProblemException.of(403, 'missing_scope', `this API key lacks the scope ${access.scope}`));
    }
    done();
  }
}
