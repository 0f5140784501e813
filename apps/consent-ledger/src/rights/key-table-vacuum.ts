import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataKeyTable, pgPoolOf } from '@consent-ledger/ledger-store';
import { DataSource } from 'typeorm';

/**
 * VACUUMs the key table after erasures, outside their transactions. Coalesced like AppendNotifier: at
 * most one VACUUM runs, and erasures committed meanwhile get exactly one more, so a retention sweep
 * that erases thousands of subjects costs two VACUUMs, not thousands.
 */
@Injectable()
export class KeyTableVacuum implements BeforeApplicationShutdown {
  private readonly logger = new Logger(KeyTableVacuum.name);
  private running: Promise<void> | undefined;
  private again = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Call after an erasure committed; resolves once a VACUUM that started after the call has finished. */
  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running.then(() => this.running ?? this.request());
    }
    this.running = DataKeyTable.vacuum(pgPoolOf(this.dataSource))
      .catch((error) => this.logger.warn(`VACUUM of the key table failed (retried after the next erasure): ${error}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          void this.request();
        }
      });
    return this.running;
  }

  /** Before the pool closes: a VACUUM requested by an erasure still runs to its end. */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.running) await this.running;
  }
}
