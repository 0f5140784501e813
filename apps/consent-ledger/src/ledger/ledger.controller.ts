import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ChainVerifier, EventStore, VerificationReport } from '@consent-ledger/ledger-store';
import { RequireScope } from '../auth/scopes';
import { LogKey } from '../proof/log-key';
import { PageQueryDto } from '../http/page-query.dto';
import { DailyCountsQueryDto } from './dto/daily-counts-query.dto';
import { PublishedEvent, isSubjectEvent, publishedView } from './event-views';

const DAY_MS = 86_400_000;

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('v1')
export class LedgerController {
  constructor(
    private readonly store: EventStore,
    private readonly verifier: ChainVerifier,
    private readonly key: LogKey,
  ) {}

  /** The subject events in commit order, for consumers not on Kafka. `after` is a position: poll with `after=next`. */
  @Get('events')
  @RequireScope('audit:read')
  async feed(@Query() query: PageQueryDto): Promise<{ events: PublishedEvent[]; next: number }> {
    const after = query.after ?? 0;
    const page = await this.store.readAll(after, query.limit ?? 100);
    return {
      events: page.filter(isSubjectEvent).map(publishedView),
      next: page.length > 0 ? page[page.length - 1].position : after,
    };
  }

  /** Subject events recorded per UTC day and type over the last `days` days (the console's plot; the feed is too slow for it). */
  @Get('ledger/daily-counts')
  @RequireScope('audit:read')
  async dailyCounts(@Query() query: DailyCountsQueryDto): Promise<{ from: string; days: number; counts: { day: string; type: string; count: number }[] }> {
    const days = query.days ?? 30;
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const from = new Date(today - (days - 1) * DAY_MS);
    return { from: from.toISOString().slice(0, 10), days, counts: await this.store.dailyCounts(from) };
  }

  @Get('ledger/verify')
  @RequireScope('audit:read')
  verify(): Promise<VerificationReport> {
    return this.verifier.verifyAll(this.key.signer);
  }
}
