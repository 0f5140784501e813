import { ConsentStateGateway, ProjectionRebuilder, ledgerDataSourceOptions } from '@consent-ledger/ledger-store';
import { DataSource } from 'typeorm';
import { seedEventLog } from '../support/event-log-fixture';
import { measure } from '../support/figure-result';
import { Figure } from '../support/figure';
import { elapsedMs, median } from '../support/stats';

const BATCH_SIZE = 20_000;

/**
 * Rebuilding consent_state from a log of `replayEvents` subject events with ProjectionRebuilder.
 * Baseline: only reading the same events in the same batches and order, the part no rebuild can
 * skip; the ratio is the share of the rebuild spent reading rather than folding and writing.
 */
export const replay: Figure = {
  id: 'replay',
  title: 'Replay',
  async run(context) {
    const { sizes } = context.options;
    const url = await context.postgres.createLedgerDatabase('bench_replay');
    const seedStart = process.hrtime.bigint();
    const { events } = await seedEventLog(url, sizes.replayEvents);
    context.log(`  seeded ${events.toLocaleString('en-US')} events in ${(elapsedMs(seedStart) / 1000).toFixed(1)} s`);

    const dataSource = await new DataSource(ledgerDataSourceOptions(url, 2)).initialize();
    try {
      const rebuilder = new ProjectionRebuilder(dataSource, new ConsentStateGateway(dataSource));
      const scan = async () => {
        let after = ['0', '0'];
        for (;;) {
          const rows: { cursor_xid: string; global_position: string }[] = await dataSource.query(
            `SELECT transaction_id::text AS cursor_xid, global_position, stream_version, data FROM events
             WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint) AND stream_id LIKE 'subject:%'
             ORDER BY events.transaction_id, events.global_position LIMIT $3`,
            [...after, BATCH_SIZE],
          );
          if (rows.length < BATCH_SIZE) return;
          const last = rows[rows.length - 1];
          after = [last.cursor_xid, last.global_position];
        }
      };
      const timed = async (work: () => Promise<unknown>) => {
        const start = process.hrtime.bigint();
        await work();
        return elapsedMs(start) / 1000;
      };
      const rebuildSeconds: number[] = [];
      const scanSeconds: number[] = [];
      for (let round = 0; round < sizes.rounds; round++) {
        scanSeconds.push(await timed(scan));
        let replayed = 0;
        rebuildSeconds.push(await timed(async () => {
          replayed = (await rebuilder.rebuild({ batchSize: BATCH_SIZE })).events;
        }));
        if (replayed !== events) throw new Error(`the rebuild replayed ${replayed} events, not ${events}`);
        context.log(`  round ${round + 1}: rebuild ${rebuildSeconds[round].toFixed(2)} s, scan ${scanSeconds[round].toFixed(2)} s`);
      }
      const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM consent_state`);
      const perSecond = events / median(rebuildSeconds);
      return {
        measures: [
          measure('events replayed', perSecond, 'events/s', {
            baseline: { label: 'reading the log only', value: events / median(scanSeconds) },
            target: '≥ 100,000 events/s',
            holds: perSecond >= 100_000,
          }),
        ],
        rounds: { rebuildSeconds, scanSeconds },
        note: `${events.toLocaleString('en-US')} events of ${Math.ceil(events / 5).toLocaleString('en-US')} subjects into ` +
          `${Number(count).toLocaleString('en-US')} state rows, in batches of ${BATCH_SIZE.toLocaleString('en-US')}; the log is generated ` +
          'in SQL with placeholder hashes (the replay does not read them, so the chain need not verify).',
      };
    } finally {
      await dataSource.destroy();
    }
  },
};
