import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Purpose } from '@consent-ledger/domain';
import { PurposeReadModel } from '@consent-ledger/ledger-store';

/** Another instance's purpose changes reach this one within this interval. */
const REFRESH_MS = 5_000;

/**
 * Every purpose in memory: a few hundred rows at most. Writes do not use it (they read the purposes
 * they name in their own transaction, SubjectStreams); checks refresh it when the purpose head they
 * read with the subject's state disagrees; lists call ensureCurrent. Local writes refresh it at once,
 * and the interval keeps an idle instance close.
 */
@Injectable()
export class PurposeCatalog implements OnModuleInit, OnModuleDestroy {
  private purposes = new Map<string, Purpose>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly readModel: PurposeReadModel) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const all = await this.readModel.loadAll();
    this.purposes = new Map(all.map((p) => [p.purposeId, p]));
  }

  /** Refreshes when another instance committed a purpose change this cache has not loaded (see changeCount). */
  async ensureCurrent(): Promise<void> {
    if ((await this.readModel.changeCount()) !== this.changeCount()) await this.refresh();
  }

  private changeCount(): number {
    let count = 0;
    for (const purpose of this.purposes.values()) count += purpose.versions.length + (purpose.retiredAt === null ? 0 : 1);
    return count;
  }

  get(purposeId: string): Purpose | undefined {
    return this.purposes.get(purposeId);
  }

  all(): Purpose[] {
    return [...this.purposes.values()];
  }
}
