import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { ProblemException } from '../http/problem';
import { ApiKeyService } from './api-key.service';
import { Principal } from './principal';
import { ACCESS_METADATA, Access } from './scopes';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** Bearer API keys: 401 without a known key, 403 without the route's scope. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    if (access?.kind === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(request.headers.authorization);
    request.principal = principal;
    if (access === undefined) throw ProblemException.of(403, 'forbidden', 'this route has no access rule');
    if (access.kind === 'scope' && !principal.scopes.has(access.scope)) {
      throw ProblemException.of(403, 'missing_scope', `this API key lacks the scope ${access.scope}`);
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!match) throw ProblemException.of(401, 'unauthenticated', 'an API key is required: Authorization: Bearer <key>');
    const principal = await this.apiKeys.authenticate(match[1]);
    if (!principal) throw ProblemException.of(401, 'unauthenticated', 'unknown API key');
    return principal;
  }
}
