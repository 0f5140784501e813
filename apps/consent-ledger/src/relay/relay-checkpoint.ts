import { SqlSession } from '@consent-ledger/ledger-store';

/**
 * The relay's place in the log: the position of the last event Kafka acknowledged. Stored with its
 * transaction id, so the checkpoint only ever moves forward in commit order: a relay that lost its
 * lock late can cause duplicates, never a skip. `position` is the last one loaded or saved here.
 */
export class RelayCheckpoint {
  private current = 0;

  constructor(
    private readonly name: string,
    private readonly query: SqlSession,
  ) {}

  /** 0: nothing published yet. */
  get position(): number {
    return this.current;
  }

  async load(): Promise<number> {
    const [row] = await this.query<{ global_position: string }>(
      'SELECT global_position FROM relay_checkpoints WHERE name = $1',
      [this.name],
    );
    this.current = row ? Number(row.global_position) : 0;
    return this.current;
  }

  async save(position: number): Promise<void> {
    await this.query(
      `INSERT INTO relay_checkpoints AS c (name, transaction_id, global_position)
       SELECT $1, transaction_id, global_position FROM events WHERE global_position = $2
       ON CONFLICT (name) DO UPDATE SET
         transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = now()
       WHERE (c.transaction_id, c.global_position) < (EXCLUDED.transaction_id, EXCLUDED.global_position)`,
      [this.name, position],
    );
    this.current = position;
  }

  /** Back to the start of the log, bypassing the forward-only rule. */
  async reset(): Promise<void> {
    await this.query('DELETE FROM relay_checkpoints WHERE name = $1', [this.name]);
    this.current = 0;
  }
}
