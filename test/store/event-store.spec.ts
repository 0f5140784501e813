import { ChainVerifier, ConcurrencyError, EventStore } from '@consent-ledger/ledger-store';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { event, openStore } from './store-fixture';

describe('EventStore against Postgres', () => {
  let dataSource: DataSource;
  let store: EventStore;
  let url: string;

  beforeAll(async () => {
    ({ dataSource, store, url } = await openStore());
  });
  afterAll(() => dataSource.destroy());

  it('lets exactly one of two appends with the same expected version win', async () => {
    await store.withStream('s-race', 0, (stream) => stream.append([event('Seeded')]));
    const attempts = await Promise.allSettled([
      store.withStream('s-race', 1, (stream) => stream.append([event('A')])),
      store.withStream('s-race', 1, (stream) => stream.append([event('B')])),
    ]);
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const rejected = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(ConcurrencyError);
    expect((await store.readStream('s-race')).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('reads every event of 20 concurrent writers x 50 events exactly once, in an order that agrees with each stream', async () => {
    const writers = 20;
    const perWriter = 50;
    const startAfter = (await store.readAll(0, 100_000)).at(-1)?.position ?? 0;
    const seen: { streamId: string; streamVersion: number; eventId: string }[] = [];
    let cursor = startAfter;
    let writing = true;
    // Read concurrently with the writers: a reader that skipped in-flight transactions would lose events here.
    const reader = (async () => {
      for (;;) {
        const page = await store.readAll(cursor, 37);
        seen.push(...page);
        if (page.length > 0) cursor = page[page.length - 1].position;
        else if (!writing) return;
        else await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          await store.withStream(`writer-${w}`, undefined, (stream) => stream.append([event('Wrote', { w, i })]));
        }
      }),
    );
    writing = false;
    await reader;
    const written = seen.filter((e) => e.streamId.startsWith('writer-'));
    expect(written).toHaveLength(writers * perWriter);
    expect(new Set(written.map((e) => e.eventId)).size).toBe(writers * perWriter);
    for (let w = 0; w < writers; w++) {
      const versions = written.filter((e) => e.streamId === `writer-${w}`).map((e) => e.streamVersion);
      expect(versions).toEqual(Array.from({ length: perWriter }, (_, i) => i + 1));
    }
  });

  it('lets a writer waiting for a stream lock take its transaction id only once it holds the lock', async () => {
    // A new stream: both writers' upserts insert its head, and a speculative insertion takes the
    // transaction id before it finds the other's row and waits.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = store.withStream('s-wait', undefined, async (stream) => {
      entered();
      await held;
      return stream.append([event('First')]);
    });
    await inside;
    const second = store.withStream('s-wait', undefined, (stream) => stream.append([event('Second')]));
    let waiting: { backend_xid: string | null }[] = [];
    for (let tries = 0; waiting.length === 0 && tries < 500; tries++) {
      waiting = await dataSource.query(
        `SELECT backend_xid::text FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      if (waiting.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Waiting without an id: whenever it gets one, the holder has committed with a smaller one.
    expect(waiting).toEqual([{ backend_xid: null }]);
    release();
    const [[firstEvent], [secondEvent]] = await Promise.all([first, second]);
    const feed = (await store.readAll(0, 100_000)).filter((e) => e.streamId === 's-wait');
    expect(feed.map((e) => e.eventId)).toEqual([firstEvent.eventId, secondEvent.eventId]);
  });

  it('keeps each stream in stream order in the global order when 24 writers contend for 3 streams', async () => {
    // A transaction that took its id before waiting for the stream lock could commit a later stream
    // version with a smaller id, and so come first in (transaction_id, global_position).
    const streams = ['contended-a', 'contended-b', 'contended-c'];
    const writers = 24;
    const perWriter = 15;
    const startAfter = (await store.readAll(0, 100_000)).at(-1)?.position ?? 0;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          await store.withStream(streams[(w + i) % streams.length], undefined, (stream) => stream.append([event('Wrote', { w, i })]));
        }
      }),
    );
    const feed = await store.readAll(startAfter, 100_000);
    const total = feed.filter((e) => streams.includes(e.streamId)).length;
    expect(total).toBe(writers * perWriter);
    for (const streamId of streams) {
      const versions = feed.filter((e) => e.streamId === streamId).map((e) => e.streamVersion);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    }
  });

  it('fails a transaction whose connection is terminated while it holds it, without an unhandled error event', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: (pid: number) => void;
    const inside = new Promise<number>((resolve) => (entered = resolve));
    const writing = store.withStream('s-terminated', undefined, async (stream) => {
      const [{ pid }] = await stream.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      entered(pid);
      await held;
      return stream.append([event('Lost')]);
    });
    const failed = expect(writing).rejects.toThrow();
    const pid = await inside;
    await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
    // The connection learns of it while idle in its transaction: an 'error' event with no query to fail.
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await failed;
    expect(await store.readStream('s-terminated')).toEqual([]);
    // The pool goes on serving.
    await store.withStream('s-terminated', undefined, (stream) => stream.append([event('Kept')]));
    expect(await store.readStream('s-terminated')).toHaveLength(1);
  });

  it('rejects UPDATE, DELETE and TRUNCATE on events', async () => {
    await store.withStream('s-immutable', undefined, (stream) => stream.append([event('Kept')]));
    await expect(dataSource.query(`UPDATE events SET type = 'Changed' WHERE stream_id = 's-immutable'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM events WHERE stream_id = 's-immutable'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE events`)).rejects.toThrow(/append-only/);
    expect(await store.readStream('s-immutable')).toHaveLength(1);
  });

  it('keeps personal proof fields encrypted at rest and readable through the store', async () => {
    const [stored] = await store.withStream('s-personal', undefined, (stream) =>
      stream.append([{ ...event('Granted'), personal: { ip: '198.51.100.23', userAgent: 'Safari' } }]));
    const [raw] = await dataSource.query(`SELECT personal_data::text AS bytes, personal_digest FROM events WHERE event_id = $1`, [stored.eventId]);
    expect(raw.bytes).not.toContain(Buffer.from('198.51.100.23').toString('hex'));
    expect(raw.personal_digest).toMatch(/^[0-9a-f]{64}$/);
    const [read] = await store.readStream('s-personal');
    expect(read.personal).toEqual({ ip: '198.51.100.23', userAgent: 'Safari' });
  });

  it('reports a row tampered with behind the guard', async () => {
    const verifier = new ChainVerifier(dataSource);
    await store.withStream('s-tamper', undefined, (stream) => stream.append([event('One', { n: 1 }), event('Two', { n: 2 }), event('Three', { n: 3 })]));
    expect(await verifier.verifyAll()).toMatchObject({ valid: true });

    // As superuser, with the append-only guard disabled: what an attacker with database access could do.
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
      await admin.query(`UPDATE events SET data = '{"n": 20}' WHERE stream_id = 's-tamper' AND stream_version = 2`);
      await admin.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
    } finally {
      await admin.end();
    }
    const report = await verifier.verifyAll();
    expect(report.valid).toBe(false);
    expect(report.firstInvalid).toMatchObject({ streamId: 's-tamper', streamVersion: 2, reason: 'hash_mismatch' });
  });
});
