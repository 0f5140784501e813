import { BareServerReady } from '../roles/bare-server';
import { RoleProcess } from '../support/child-role';
import { measure } from '../support/figure-result';
import { Figure } from '../support/figure';
import { runHttpLoad } from '../support/http-load';
import { rssBytes, sampleRss } from '../support/rss';
import { median } from '../support/stats';
import { checkRequests, sampleCheckBody } from './single-check';

const MiB = 2 ** 20;
/** Long enough after start for lazy initialisation and the first GC cycles to settle. */
const SETTLE_MS = 2_000;

/**
 * RSS of a freshly started service, idle and then under the single-check load, beside bare
 * Fastify under the same load: the difference is what Nest, TypeORM, pg and the service add.
 */
export const memory: Figure = {
  id: 'memory',
  title: 'Memory (RSS)',
  async run(context) {
    const { sizes } = context.options;
    const service = await context.startService({ databaseUrl: context.ledger.url, relay: false, name: 'memory' });
    let bare: RoleProcess<BareServerReady> | undefined;
    try {
      const apiKey = await service.createApiKey('bench memory', ['consents:read']);
      bare = await RoleProcess.fork<BareServerReady>('bare-server', [await sampleCheckBody(service.baseUrl, apiKey)]);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const idle = rssBytes(service.pid);
      const bareIdle = rssBytes(bare.pid);
      const requests = checkRequests(context.ledger.fixture.subjects, apiKey);
      const underLoad = async (url: string, pid: number) => {
        const sampler = sampleRss(pid);
        await runHttpLoad({ url, connections: sizes.checkConnections, seconds: sizes.loadSeconds, requests });
        const samples = sampler.stop();
        return { median: median(samples), peak: Math.max(...samples) };
      };
      const bareLoaded = await underLoad(bare.ready.url, bare.pid);
      const loaded = await underLoad(service.baseUrl, service.pid);
      return {
        measures: [
          measure('RSS idle', idle / MiB, 'MiB', { baseline: { label: 'bare Fastify', value: bareIdle / MiB } }),
          measure('RSS under check load (median)', loaded.median / MiB, 'MiB', { baseline: { label: 'bare Fastify', value: bareLoaded.median / MiB } }),
          measure('RSS under check load (peak)', loaded.peak / MiB, 'MiB', { baseline: { label: 'bare Fastify', value: bareLoaded.peak / MiB } }),
        ],
        note: `a fresh service process, sampled every 200 ms during ${sizes.loadSeconds} s of the single-check load.`,
      };
    } finally {
      await bare?.stop();
      await service.stop();
    }
  },
};
