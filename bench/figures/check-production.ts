import { Figure } from '../support/figure';
import { measureChecks } from './single-check';

/**
 * The single check against a service as production runs it: the outbox relay on (LISTEN for appends,
 * its polling, the Kafka producer and the relay's leadership lock), the expiry scheduler and the
 * sealer at their default intervals, beside the same bare-Fastify baseline. The single-check figure's
 * service has the relay off, as every HTTP figure but propagation does; the difference between the
 * two ratios is what the background work costs the hot path.
 */
export const checkProduction: Figure = {
  id: 'check-production',
  title: 'Single check, production configuration',
  async run(context) {
    const service = await context.startService({ databaseUrl: context.ledger.url, relay: true, name: 'check-production' });
    try {
      return await measureChecks(context, service, 'relay, expiry scheduler and sealer running at their defaults');
    } finally {
      await service.stop();
    }
  },
};
