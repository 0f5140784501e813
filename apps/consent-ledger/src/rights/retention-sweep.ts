import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConcurrencyError, DormantSubjects, IdempotencyStore, pgPoolOf } from '@consent-ledger/ledger-store';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock, LEDGER_CLOCK } from './clock';
import { KeyTableVacuum } from './key-table-vacuum';
import { rightsMetrics } from './rights-metrics';
import { SubjectErasure } from './subject-erasure';
import { PeriodicTask } from '../infrastructure/periodic-task';
import { whileHoldingLock } from '../infrastructure/sweep-lock';

const LOCK_NAME = 'consent-ledger.retention-sweep';
const PAGE = 500;
const DAY_MS = 86_400_000;

export interface SweepReport {
  idempotencyRecordsDropped: number;
  subjectsShredded: number;
}

/**
 * Retention: drops idempotency records older than IDEMPOTENCY_TTL_DAYS, and shreds the personal proof
 * fields of subjects with no event for PROOF_RETENTION_YEARS through the erasure path (SubjectErased
 * {reason: "retention"}). One instance sweeps at a time (advisory lock); the others skip that round.
 */
@Injectable()
export class RetentionSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionSweep.name);
  private readonly dormant: DormantSubjects;
  private readonly task = new PeriodicTask(() => this.sweep(), (error) => {
    rightsMetrics.sweeps.inc({ outcome: 'failed' });
    this.logger.warn(`retention sweep failed: ${error}`);
  });
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly idempotency: IdempotencyStore,
    private readonly erasure: SubjectErasure,
    private readonly keyTable: KeyTableVacuum,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LEDGER_CLOCK) private readonly clock: Clock,
  ) {
    this.dormant = new DormantSubjects(dataSource);
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.retentionIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.task.stop();
  }

  /** One sweep as of the clock's now; 'skipped' when another instance is sweeping. */
  async sweep(): Promise<SweepReport | 'skipped'> {
    const now = this.clock.now();
    const report = await whileHoldingLock(pgPoolOf(this.dataSource), LOCK_NAME, async () => {
      const idempotencyRecordsDropped = await this.dropIdempotencyRecords(now);
      const subjectsShredded = await this.shredDormantSubjects(now);
      if (subjectsShredded > 0) await this.keyTable.request();
      return { idempotencyRecordsDropped, subjectsShredded };
    });
    rightsMetrics.sweeps.inc({ outcome: report ? 'done' : 'skipped' });
    return report ?? 'skipped';
  }

  private async dropIdempotencyRecords(now: Date): Promise<number> {
    const dropped = await this.idempotency.deleteCreatedBefore(new Date(now.getTime() - this.config.idempotencyTtlDays * DAY_MS));
    rightsMetrics.idempotencyRecordsDropped.inc(dropped);
    return dropped;
  }

  private async shredDormantSubjects(now: Date): Promise<number> {
    const cutoff = new Date(now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - this.config.proofRetentionYears);
    let shredded = 0;
    let after = '';
    for (;;) {
      const page = await this.dormant.page(cutoff, after, PAGE);
      for (const { subjectId, streamVersion } of page) {
        if (this.stopping) return shredded;
        if (await this.shred(subjectId, streamVersion)) shredded += 1;
      }
      if (page.length < PAGE) return shredded;
      after = page[page.length - 1]!.subjectId;
    }
  }

  /** Erases unless an event arrived since the subject was found dormant (the stream moved on). */
  private async shred(subjectId: string, streamVersion: number): Promise<boolean> {
    try {
      const { erasedNow } = await this.erasure.erase({ subjectId, reason: 'retention', actor: 'retention-sweep', expectedVersion: streamVersion, vacuum: 'by caller' });
      if (erasedNow) rightsMetrics.subjectsShredded.inc();
      return erasedNow;
    } catch (error) {
      if (error instanceof ConcurrencyError) return false;
      throw error;
    }
  }
}
