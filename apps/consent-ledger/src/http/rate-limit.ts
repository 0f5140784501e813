import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { AuthenticatedRequest } from '../auth/authenticated-request';
import { Access } from '../auth/scopes';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ProblemException } from './problem';
import { PrefixPruningThrottlerStorage } from './throttler-storage';

const WINDOW_MS = 1_000;

/**
 * RATE_LIMIT_PER_SECOND requests per route and API key (per client address on public routes), in a
 * sliding one-second window; past it the caller is refused for a second (429, Retry-After). These
 * are the answers @nestjs/throttler's guard gave, from a synchronous onRequest hook after
 * AccessControl instead: a refused request costs no body parsing, and none pays the guard's dozen
 * metadata lookups, SHA-256 of the key and three X-RateLimit headers (6 % of a check's CPU).
 */
@Injectable()
export class RateLimit implements OnApplicationShutdown {
  /** A log per route (its Fastify config object), keyed by the caller: no key string is built per request. */
  private readonly byRoute = new Map<object, PrefixPruningThrottlerStorage>();
  private readonly limit: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limit = config.rateLimitPerSecond;
  }

  readonly onRequest = (request: AuthenticatedRequest, reply: FastifyReply, done: (error?: Error) => void): void => {
    const route = request.routeOptions.config as { access?: Access } | undefined;
    // Routes outside Nest's controllers (the docs, the console's files) and unknown ones are not limited.
    if (route?.access === undefined) return done();
    let hits = this.byRoute.get(route);
    if (!hits) {
      hits = new PrefixPruningThrottlerStorage();
      this.byRoute.set(route, hits);
    }
    const { isBlocked, timeToBlockExpire } = hits.hit(request.principal?.keyId ?? request.ip, WINDOW_MS, this.limit, WINDOW_MS);
    if (!isBlocked) return done();
    void reply.header('retry-after', String(timeToBlockExpire));
    done(ProblemException.of(429, 'rate_limited', 'too many requests; retry after the seconds Retry-After gives'));
  };

  onApplicationShutdown(): void {
    for (const hits of this.byRoute.values()) hits.close();
    this.byRoute.clear();
  }
}
