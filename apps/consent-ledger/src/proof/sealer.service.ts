import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { LogSealer, SealerStatus, StoredCheckpoint } from '@consent-ledger/ledger-store';
import { formatCheckpoint, signNote } from '@consent-ledger/transparency-log';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CheckpointPublisher } from './checkpoint-publisher';
import { LogKey } from './log-key';
import { sealerMetrics } from './sealer-metrics';

/**
 * Runs the LogSealer every CHECKPOINT_INTERVAL_MS: at most one signed checkpoint per interval, and
 * none while nothing arrives. Every instance runs it; the sealer's advisory lock lets one seal at a
 * time, so another instance takes over within an interval when the active one stops.
 */
@Injectable()
export class SealerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SealerService.name);
  private timer: NodeJS.Timeout | undefined;
  private cycle: Promise<void> | undefined;
  private failing = false;
  private lastStatus: SealerStatus | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sealer: LogSealer,
    private readonly key: LogKey,
    @Optional() private readonly publisher?: CheckpointPublisher,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.checkpointIntervalMs === 0) return;
    this.timer = setInterval(() => void this.sealNow(), this.config.checkpointIntervalMs);
    void this.sealNow();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.cycle;
    await this.publisher?.disconnect();
  }

  /** How far sealing is behind, as measured after the latest pass (null before the first). */
  status(): SealerStatus | null {
    return this.lastStatus;
  }

  /** One sealing pass (a pass already running is joined, not doubled). */
  sealNow(): Promise<void> {
    this.cycle ??= this.seal().finally(() => (this.cycle = undefined));
    return this.cycle;
  }

  private async seal(): Promise<void> {
    await this.sealAndSign();
    // Every instance measures, the standby ones too: the gauges read the same on every replica.
    await this.measure().catch(() => undefined);
  }

  private async measure(): Promise<void> {
    const status = await this.sealer.status();
    this.lastStatus = status;
    sealerMetrics.lag.set(status.lag);
    if (status.checkpointSignedAt) sealerMetrics.checkpointAge.set((Date.now() - Date.parse(status.checkpointSignedAt)) / 1000);
  }

  private async sealAndSign(): Promise<void> {
    let checkpoint: StoredCheckpoint | null = null;
    try {
      const outcome = await this.sealer.seal((size, rootHash) =>
        signNote(formatCheckpoint({ origin: this.key.origin, size, rootHash }), this.key.signer),
      );
      if (outcome.role === 'active') checkpoint = outcome.checkpoint;
      if (this.failing) this.logger.log('sealer recovered');
      this.failing = false;
    } catch (error) {
      // Once per outage: the next interval retries.
      if (!this.failing) this.logger.error(`sealing failed: ${error instanceof Error ? error.message : error}`);
      this.failing = true;
      return;
    }
    if (!this.publisher) return;
    const send = checkpoint ? this.publisher.publish(this.key.origin, checkpoint.note) : this.publisher.flush();
    await send.catch((error) => this.logger.warn(`checkpoint not published yet: ${error instanceof Error ? error.message : error}`));
  }
}
