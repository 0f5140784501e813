import { decideSubject, isDomainError } from '@consent-ledger/domain';
import { ConsentStateGateway, EventStore, PersonalDataCipher, PurposeReadModel, SubjectStreams, ledgerDataSourceOptions } from '@consent-ledger/ledger-store';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LoadResult } from './http-load';
import { elapsedMs, percentile } from './stats';

export interface WritePathLoad {
  databaseUrl: string;
  connections: number;
  seconds: number;
  /** Names the subjects of this run apart from every other run's. */
  run: string;
}

/**
 * The append figure's write path without HTTP: `connections` concurrent writers, each granting
 * 'newsletter' with proof fields to a new subject through SubjectStreams.handle (read, decide, group
 * commit), as the service does behind its controller. What the store reaches when the service's
 * HTTP and per-request work is taken away.
 */
export async function runWritePathLoad(load: WritePathLoad): Promise<LoadResult> {
  const dataSource = await new DataSource({ ...ledgerDataSourceOptions(load.databaseUrl), migrationsRun: false }).initialize();
  const store = new EventStore(dataSource, new PersonalDataCipher(randomBytes(32)));
  const streams = new SubjectStreams(store, new ConsentStateGateway(dataSource), new PurposeReadModel(dataSource));
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  const deadline = Date.now() + load.seconds * 1000;
  try {
    await Promise.all(Array.from({ length: load.connections }, async (_, c) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const subjectId = `write-path-${load.run}-${c}-${i}`;
        const sent = process.hrtime.bigint();
        await streams.handle(subjectId, (state) => {
          const decision = decideSubject({ type: 'RecordChoices', subjectId, choices: [{ type: 'ConsentGranted', purpose: 'newsletter' }] }, state, new Date());
          if (isDomainError(decision)) throw new Error(decision.code);
          return decision;
        }, {
          purposeIds: ['newsletter'],
          metadata: { source: { channel: 'web', collectionPoint: 'cookie-banner/home' }, proof: { method: 'banner-accept-all' } },
          personal: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' },
        });
        latencies.push(elapsedMs(sent));
      }
    }));
  } finally {
    await dataSource.destroy();
  }
  const seconds = elapsedMs(start) / 1000;
  return { perSecond: latencies.length / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), ok: latencies.length, failed: 0 };
}
