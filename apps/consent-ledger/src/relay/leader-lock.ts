import { APPEND_CHANNEL, SqlSession } from '@consent-ledger/ledger-store';
import { Client } from 'pg';

/** Names the session-level advisory lock that elects the one active relay. */
const LOCK_NAME = 'consent-ledger.relay';

/**
 * Leadership of the relay across processes: a session-level advisory lock held on a dedicated
 * connection, so Postgres itself releases it when the holder's process or connection dies. The same
 * connection LISTENs for appends and writes the checkpoint: a holder that lost its session can no
 * longer move the checkpoint, whatever it still believes.
 */
export class LeaderLock {
  private client: Client | undefined;
  private held = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly onAppend: () => void,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    const client = this.client ?? (await this.connect());
    const { rows } = await client.query<{ acquired: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS acquired',
      [LOCK_NAME],
    );
    if (!rows[0]?.acquired) return false;
    await client.query(`LISTEN ${APPEND_CHANNEL}`);
    this.held = client === this.client;
    return this.held;
  }

  /** Queries on the lock's session; refused once the lock is lost. */
  readonly query: SqlSession = async <T>(sql: string, params?: unknown[]) => {
    if (!this.held || !this.client) throw new Error('the relay lock is not held');
    return (await this.client.query(sql, params)).rows as T[];
  };

  /** Ends the session, which releases the lock. */
  async release(): Promise<void> {
    const client = this.client;
    this.forget();
    await client?.end();
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.databaseUrl, keepAlive: true, application_name: 'consent-ledger-relay' });
    const lost = () => {
      if (this.client !== client) return;
      this.forget();
      void client.end().catch(() => undefined);
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', () => this.onAppend());
    await client.connect();
    this.client = client;
    return client;
  }

  private forget(): void {
    this.client = undefined;
    this.held = false;
  }
}
