import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiKeyService, CreatedApiKey } from './api-key.service';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { RequireScope } from './scopes';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeyService) {}

  /** The secret is returned this once; only its hash is stored. */
  @Post()
  @HttpCode(201)
  @RequireScope('keys:admin')
  create(@Body() body: CreateApiKeyDto): Promise<CreatedApiKey> {
    return this.apiKeys.create(body.name, body.scopes);
  }
}
