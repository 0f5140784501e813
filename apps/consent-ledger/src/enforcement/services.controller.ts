import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RegisteredService, ServiceRegistry } from '@consent-ledger/ledger-store';
import { FastifyReply } from 'fastify';
import { RequireScope } from '../auth/scopes';
import { ServiceIdPipe } from '../http/path-params';
import { ProblemException } from '../http/problem';
import { PurposeCatalog } from '../purposes/purpose-catalog';
import { RegisterServiceDto } from './dto/register-service.dto';
import { EnforcementClock } from './enforcement-clock';

/** The registry of processing services: who must enforce denials for which purposes, and how fast. */
@ApiTags('enforcement')
@ApiBearerAuth()
@Controller('v1/services')
export class ServicesController {
  constructor(
    private readonly registry: ServiceRegistry,
    private readonly catalog: PurposeCatalog,
    private readonly clock: EnforcementClock,
  ) {}

  /** 201 when the service is new, 200 when its registration is replaced. */
  @Put(':serviceId')
  @RequireScope('purposes:write')
  async register(
    @Param('serviceId', ServiceIdPipe) serviceId: string,
    @Body() body: RegisterServiceDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegisteredService> {
    await this.requireKnownPurposes(body.purposes);
    const { created, service } = await this.registry.register({ serviceId, ...body }, this.clock.now());
    reply.status(created ? 201 : 200);
    return service;
  }

  @Get()
  @RequireScope('audit:read')
  async list(): Promise<{ services: RegisteredService[] }> {
    return { services: await this.registry.list() };
  }

  @Get(':serviceId')
  @RequireScope('audit:read')
  async get(@Param('serviceId', ServiceIdPipe) serviceId: string): Promise<RegisteredService> {
    const service = await this.registry.get(serviceId);
    if (service === null) throw ProblemException.of(404, 'service_not_found', `no registered service ${serviceId}`);
    return service;
  }

  /** A retired purpose is accepted: its withdrawals still have to be enforced. */
  private async requireKnownPurposes(purposes: readonly string[]): Promise<void> {
    // Another instance may have published a purpose the catalog has not reloaded yet.
    if (purposes.some((id) => this.catalog.get(id) === undefined)) await this.catalog.refresh();
    const errors = purposes.flatMap((id, index) =>
      this.catalog.get(id) === undefined ? [{ field: `purposes[${index}]`, message: `purpose ${id} does not exist` }] : [],
    );
    if (errors.length > 0) throw ProblemException.of(422, 'unknown_purpose', 'a service can only be registered for existing purposes', errors);
  }
}
