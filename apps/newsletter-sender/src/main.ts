import { ConsentClient } from '@consent-ledger/consent-client';
import pino from 'pino';
import { NewsletterSender } from './newsletter-sender';
import { readSenderConfig } from './sender-config';

/** `npm run start:newsletter`: mails the allowed subjects every SEND_INTERVAL_MS until SIGINT or SIGTERM. */
async function main(): Promise<void> {
  const config = readSenderConfig(process.argv.slice(2), process.env);
  const logger = pino({ name: 'newsletter-sender', level: config.logLevel });
  const consents = new ConsentClient({
    brokers: config.brokers,
    httpBaseUrl: config.ledgerUrl,
    apiKey: config.apiKey,
    clientId: 'newsletter-sender',
    logger,
    // Acknowledges each withdrawal once the handler below has returned: the ledger then knows this sender complied.
    enforcement: { service: config.service },
  });
  const audience = new Set(config.subjects);
  consents.onChange((change) => {
    if (change.purpose === config.purpose && audience.has(change.subjectId)) {
      logger.info(change, 'consent changed; applies from the next round');
    }
  });

  logger.info({ brokers: config.brokers, service: config.service }, 'reading consent state');
  await consents.start();
  const sender = new NewsletterSender(consents, config.subjects, config.purpose, logger);
  sender.sendRound();
  const timer = setInterval(() => sender.sendRound(), config.intervalMs);

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'stopping');
    clearInterval(timer);
    consents.stop().then(
      () => logger.info('stopped'),
      (error: unknown) => {
        logger.error({ err: error }, 'consent client did not stop cleanly');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
