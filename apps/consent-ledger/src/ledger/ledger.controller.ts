import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ChainVerifier, EventStore, VerificationReport } from '@consent-ledger/ledger-store';
import { RequireScope } from '../auth/scopes';
import { LogKey } from '../proof/log-key';
import { PageQueryDto } from '../http/page-query.dto';
import { PublishedEvent, isSubjectEvent, publishedView } from './event-views';

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

  @Get('ledger/verify')
  @RequireScope('audit:read')
  verify(): Promise<VerificationReport> {
    return this.verifier.verifyAll(this.key.signer);
  }
}
