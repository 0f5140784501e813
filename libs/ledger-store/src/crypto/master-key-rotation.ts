import type { Pool } from 'pg';
import { inTransaction, PgTransaction } from '../events/pg-transaction';
import { DataKeyTable } from './data-key-table';
import { PersonalDataCipher } from './personal-data-cipher';

export interface RotationReport {
  /** Data keys now wrapped by the new master key that were under the previous one. */
  rewrapped: number;
  /** Data keys already under the new master key (a rotation run again, or keys created during it). */
  alreadyCurrent: number;
  batches: number;
}

/** Rows locked at a time: short transactions, so appends to those streams wait milliseconds at most. */
const DEFAULT_BATCH_SIZE = 500;

/**
 * Rewraps every stream's data key under the cipher's current master key, while the service runs.
 * Each batch is its own transaction that locks its streams' rows (the lock appends and erasures take),
 * so a concurrent append or erasure is either before it (and its key is rewrapped or gone) or after it.
 * Only wrapped keys ever reach the table; the plaintext data keys stay inside PersonalDataCipher.rewrap.
 */
export class MasterKeyRotation {
  constructor(
    private readonly pool: Pool,
    private readonly cipher: PersonalDataCipher,
    private readonly batchSize = DEFAULT_BATCH_SIZE,
  ) {}

  async run(onBatch?: (report: RotationReport) => void): Promise<RotationReport> {
    const report: RotationReport = { rewrapped: 0, alreadyCurrent: 0, batches: 0 };
    let after = '';
    for (;;) {
      const streamIds = await DataKeyTable.streamsWithKeys(this.pool, after, this.batchSize);
      if (streamIds.length === 0) return report;
      const { transaction } = await PgTransaction.open(this.pool);
      await inTransaction(transaction, async () => {
        const locked = await DataKeyTable.lockKeys(transaction.query, streamIds);
        const rewrapped = locked.flatMap(({ streamId, wrappedKey }) => {
          const wrapped = rewrapOrExplain(this.cipher, streamId, wrappedKey);
          return wrapped === null ? [] : [{ streamId, wrappedKey: wrapped }];
        });
        await DataKeyTable.replaceKeys(transaction.query, rewrapped);
        report.rewrapped += rewrapped.length;
        report.alreadyCurrent += locked.length - rewrapped.length;
      });
      report.batches += 1;
      onBatch?.(report);
      after = streamIds[streamIds.length - 1] as string;
      if (streamIds.length < this.batchSize) return report;
    }
  }
}

/** Names the stream whose key opens with neither master key; the key itself never goes into a message. */
function rewrapOrExplain(cipher: PersonalDataCipher, streamId: string, wrappedKey: Buffer): Buffer | null {
  try {
    return cipher.rewrap(wrappedKey);
  } catch {
    throw new Error(`the data key of ${streamId} opens with neither the new nor the previous master key`);
  }
}
