import { DataSource } from 'typeorm';

/** The channel feed readers (the relay) LISTEN on to hear of newly committed events. */
export const APPEND_CHANNEL = 'ledger_events';

/**
 * Tells LISTENers that events were committed, with a NOTIFY sent after the commit instead of from
 * a trigger inside the appending transaction. Postgres serializes the commits of all transactions
 * that notify (PreCommit_Notify takes a database-wide lock and holds it until the commit record is
 * flushed), so a NOTIFY inside every append made concurrent appends wait for each other's fsync,
 * one at a time: with fsync on, a few hundred appends per second at most. A NOTIFY on its own
 * writes no WAL and holds that lock only for a moment.
 *
 * Coalesced: at most one NOTIFY is in flight, and commits made meanwhile send exactly one more
 * once it returns, so a reader woken by the first can never miss the later commits. Best effort,
 * like any NOTIFY: a process dying between its commit and the NOTIFY leaves the event to the
 * readers' polling.
 */
export class AppendNotifier {
  private sending = false;
  private again = false;

  constructor(private readonly dataSource: DataSource) {}

  /** Call after a transaction that appended events has committed. Never waits, never throws. */
  committed(): void {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = true;
    this.dataSource
      .query(`SELECT pg_notify($1, '')`, [APPEND_CHANNEL])
      .catch(() => undefined)
      .finally(() => {
        this.sending = false;
        if (this.again) {
          this.again = false;
          this.committed();
        }
      });
  }
}
