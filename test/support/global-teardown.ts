import { dropRunDatabases } from './test-database';
import { takeTestServices } from './test-services';

/** Stops what global-setup started; the embedded cluster's temporary directory goes with it. */
export default async function globalTeardown(): Promise<void> {
  const services = takeTestServices();
  if (!services) {
    return;
  }
  const { postgres, kafka } = services;
  const runId = process.env.TEST_RUN_ID;
  // A server we did not start outlives the run, so this run's databases are dropped from it.
  if (postgres.source === 'DATABASE_URL' && runId) {
    await dropRunDatabases(postgres.url, runId);
  }
  await Promise.all([postgres.stop(), kafka.stop()]);
}
