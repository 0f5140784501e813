import { Command } from 'commander';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LedgerHttp } from '../ledger/ledger-http';

/** GET /v1/subjects/{id}/export, streamed to stdout as the ledger sends it. */
export function register(program: Command): void {
  program
    .command('export')
    .description("write a subject's export (access / portability) to stdout")
    .argument('<subjectId>')
    .requiredOption('--url <url>', "the ledger's base URL")
    .requiredOption('--key <apiKey>', 'an API key with audit:read')
    .option('--format <format>', 'json (default) or iso27560')
    .action(async (subjectId: string, options: { url: string; key: string; format?: string }) => {
      const query = options.format ? `?format=${encodeURIComponent(options.format)}` : '';
      const response = await new LedgerHttp(options.url, options.key).get(`/v1/subjects/${encodeURIComponent(subjectId)}/export${query}`);
      if (!response.body) return;
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), process.stdout, { end: false });
    });
}
