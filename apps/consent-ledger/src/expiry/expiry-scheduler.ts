import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConsentStateGateway, pgPoolOf } from '@consent-ledger/ledger-store';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PeriodicTask } from '../infrastructure/periodic-task';
import { whileHoldingLock } from '../infrastructure/sweep-lock';
import { SubjectStreamWriter } from '../subjects/subject-stream-writer';

const BATCH = 500;
const LOCK_NAME = 'consent-ledger.expiry-scheduler';

const expired = new Counter({ name: 'consent_expired_total', help: 'ConsentExpired events appended by the expiry scheduler' });

/**
 * Appends ConsentExpired when a grant's validity runs out, so subscribers are told (a read-time
 * filter alone would leave Kafka consumers believing the grant still holds). One instance sweeps at a
 * time (advisory lock; the others skip that round), and even two would be safe: an append is written only
 * on top of the version it was decided on, and the decision is a no-op once expired.
 */
@Injectable()
export class ExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiryScheduler.name);
  private readonly task = new PeriodicTask(() => this.expireDue(), (error) => this.logger.warn(`expiry sweep failed: ${error}`));
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gateway: ConsentStateGateway,
    private readonly writer: SubjectStreamWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.expiryIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    // A sweep with many grants due stops after the write in progress, not after the last one.
    this.stopping = true;
    await this.task.stop();
  }

  /** Expires every grant due now; returns how many ConsentExpired events were appended (0 while another instance sweeps). */
  async expireDue(): Promise<number> {
    return (await whileHoldingLock(pgPoolOf(this.dataSource), LOCK_NAME, () => this.expireAllDue())) ?? 0;
  }

  private async expireAllDue(): Promise<number> {
    let appended = 0;
    for (;;) {
      const due = await this.gateway.dueForExpiry(new Date(), BATCH);
      for (const { subjectId, purposeId: purpose } of due) {
        if (this.stopping) return appended;
        const result = await this.writer.write({
          command: { type: 'ExpireConsent', subjectId, purpose },
          metadata: { source: { channel: 'system', collectionPoint: 'expiry-scheduler' } },
        });
        appended += result.appended.length;
        expired.inc(result.appended.length);
      }
      if (due.length < BATCH) return appended;
    }
  }
}
