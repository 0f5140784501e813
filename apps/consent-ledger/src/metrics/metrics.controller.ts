import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { register } from 'prom-client';
import { Public } from '../auth/scopes';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  @Get()
  @Public()
  @Header('content-type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
