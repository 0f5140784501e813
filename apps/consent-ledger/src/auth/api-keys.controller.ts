import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ServiceRegistry } from '@consent-ledger/ledger-store';
import { ProblemException } from '../http/problem';
import { AuthenticatedRequest } from './authenticated-request';
import { ApiKeyService, ApiKeyView, CreatedApiKey } from './api-key.service';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { RequireScope } from './scopes';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly services: ServiceRegistry,
  ) {}

  /** The secret is returned this once; only its hash is stored. */
  @Post()
  @HttpCode(201)
  @RequireScope('keys:admin')
  async create(@Body() body: CreateApiKeyDto, @Req() request: AuthenticatedRequest): Promise<CreatedApiKey> {
    if (body.service !== undefined && (await this.services.get(body.service)) === null) {
      throw ProblemException.of(422, 'unknown_service', `no registered service ${body.service}`, [{ field: 'service', message: 'not registered' }]);
    }
    return this.apiKeys.create(request.principal!, body);
  }

  /** Every key, revoked and expired ones included; never a secret. */
  @Get()
  @RequireScope('keys:admin')
  async list(): Promise<{ apiKeys: ApiKeyView[] }> {
    return { apiKeys: await this.apiKeys.list() };
  }

  /** Every instance refuses the key within a second (KEY_CACHE_TTL_MS). */
  @Delete(':id')
  @RequireScope('keys:admin')
  async revoke(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string): Promise<ApiKeyView> {
    const key = await this.apiKeys.revoke(id);
    if (!key) throw ProblemException.of(404, 'api_key_not_found', `no API key ${id}`);
    return key;
  }
}
