import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { ProblemException } from '../http/problem';
import { Principal } from './principal';
import { ACCESS_METADATA, Access } from './scopes';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * AccessControl authenticates in Fastify's onRequest hook, before the body is read. This guard is
 * the backstop behind it: a controller route without an access rule, or whose rule did not reach
 * the Fastify route config (a decorator on a controller class, say), is refused rather than served.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    if (access?.kind === 'public') return true;
    if (!context.switchToHttp().getRequest<AuthenticatedRequest>().principal) {
      // A server-side defect (no rule, or RequireScope/AnyApiKey on a class rather than on each handler).
      throw ProblemException.of(403, 'forbidden', 'this route has no access rule on its handler');
    }
    return true;
  }
}
