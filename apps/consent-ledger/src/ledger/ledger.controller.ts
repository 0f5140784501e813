import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ChainVerifier, EventStore, VerificationReport } from '@consent-ledger/ledger-store';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { RequireScope } from '../auth/scopes';
import { PublishedEvent, isSubjectEvent, publishedView } from './event-views';

class FeedQueryDto {
  /** A position from an earlier page's `next`; 0 or absent: from the start. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('v1')
export class LedgerController {
  constructor(
    private readonly store: EventStore,
    private readonly verifier: ChainVerifier,
  ) {}

  /** The subject events in commit order, for consumers not on Kafka. Poll with `after=next`. */
  @Get('events')
  @RequireScope('audit:read')
  async feed(@Query() query: FeedQueryDto): Promise<{ events: PublishedEvent[]; next: number }> {
    const after = query.after ?? 0;
    const page = await this.store.readAll(after, query.limit ?? 100);
    return {
      events: page.filter(isSubjectEvent).map(publishedView),
      next: page.length > 0 ? page[page.length - 1].position : after,
    };
  }

  @Get('ledger/verify')
  @RequireScope('audit:read')
  verify(): Promise<VerificationReport> {
    return this.verifier.verifyAll();
  }
}
