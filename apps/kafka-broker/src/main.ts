import { KafkaBroker } from '@consent-ledger/kafka-testkit';

/** `npm run kafka`: the in-repo broker on its own, for local runs without Docker. */
async function main(): Promise<void> {
  const broker = await KafkaBroker.start({
    port: parsePort(process.env.EMBEDDED_KAFKA_PORT ?? '9092'),
    dataDir: process.env.KAFKA_DATA_DIR || '.data/kafka',
    logger: (message) => console.log(message),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      broker.stop().catch((error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      });
    });
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`EMBEDDED_KAFKA_PORT must be a TCP port, got "${value}"`);
  return port;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
