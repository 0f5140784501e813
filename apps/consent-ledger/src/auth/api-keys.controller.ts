import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ServiceRegistry } from '@consent-ledger/ledger-store';
import { ProblemException } from '../http/problem';
import { ApiKeyService, CreatedApiKey } from './api-key.service';
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
  async create(@Body() body: CreateApiKeyDto): Promise<CreatedApiKey> {
    if (body.service !== undefined && (await this.services.get(body.service)) === null) {
      throw ProblemException.of(422, 'unknown_service', `no registered service ${body.service}`, [{ field: 'service', message: 'not registered' }]);
    }
    return this.apiKeys.create(body.name, body.scopes, body.service);
  }
}
