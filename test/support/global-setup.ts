import { randomBytes } from 'node:crypto';
import { startKafka } from './kafka';
import { startPostgres } from './postgres';
import { keepTestServices } from './test-services';

/**
 * Starts the servers the whole run shares and hands their addresses to the test workers, which
 * inherit this process' environment: TEST_DATABASE_URL (superuser URL; test files take their own
 * database via test-database.ts), TEST_KAFKA_BROKERS, and TEST_RUN_ID (names this run's databases).
 */
export default async function globalSetup(): Promise<void> {
  // Side by side, so Kafka adds no wall time to the run.
  const [postgres, kafka] = await Promise.allSettled([startPostgres(), startKafka()]);
  if (postgres.status === 'fulfilled' && kafka.status === 'fulfilled') {
    keepTestServices({ postgres: postgres.value, kafka: kafka.value });
    process.env.TEST_RUN_ID = randomBytes(4).toString('hex');
    process.env.TEST_DATABASE_URL = postgres.value.url;
    process.env.TEST_KAFKA_BROKERS = kafka.value.brokers;
    return;
  }
  // Jest skips global-teardown when setup throws, so whatever did start is stopped here.
  const outcomes = [postgres, kafka];
  await Promise.allSettled(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.stop() : undefined)));
  throw outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')?.reason;
}
