import { formatVerifierKey, generateSeed, signerFromSeed } from '@consent-ledger/transparency-log';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram } from '../../apps/ledger-cli/src/program';
import { LedgerApp } from '../e2e/ledger-app';
import { asTamperer, record, resealFromScratch, seal, startProofLedger, text } from './proof-fixture';

/** Runs the CLI in this process as `ledger <args>`: its exit status and what it printed. */
async function runCli(...args: string[]): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    process.exitCode = undefined;
    await createProgram().parseAsync(['node', 'ledger', ...args]);
    return { code: Number(process.exitCode ?? 0), out: chunks.join('') };
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('ledger CLI', () => {
  let ledger: LedgerApp;
  let vkey: string;

  beforeAll(async () => {
    ledger = await startProofLedger();
    vkey = (await text(ledger, '/v1/ledger/verifier-key', null)).body.trim();
  });
  afterAll(() => ledger.close());

  it('verify-proof: a proof fetched over HTTP verifies offline with the vkey alone; a changed byte, root or key is rejected', async () => {
    for (let i = 0; i < 5; i += 1) await record(ledger, 'ines', i % 2 === 0 ? 'ConsentGranted' : 'ConsentWithdrawn');
    await seal(ledger);
    const proofText = (await text(ledger, '/v1/subjects/ines/proof?purpose=newsletter')).body;
    const good = await runCli('verify-proof', file('proof.json', proofText), '--vkey', vkey);
    expect(good.out).toContain('VERIFIED: ines / newsletter');
    expect(good.code).toBe(0);

    const proof = JSON.parse(proofText);
    const oneByte = structuredClone(proof);
    oneByte.events[2].metadata.source.channel = 'wea';
    const changedEvent = await runCli('verify-proof', file('one-byte.json', JSON.stringify(oneByte)), '--vkey', vkey);
    expect(changedEvent.code).toBe(1);
    expect(changedEvent.out).toMatch(/✗ event .* hash: recomputed/);

    const root = proof.checkpoint.split('\n')[2];
    const otherRoot = Buffer.from(root, 'base64').map((b: number, i: number) => (i === 0 ? b ^ 1 : b));
    const rerooted = { ...proof, checkpoint: proof.checkpoint.replace(root, Buffer.from(otherRoot).toString('base64')) };
    const changedRoot = await runCli('verify-proof', file('root.json', JSON.stringify(rerooted)), '--vkey', vkey);
    expect(changedRoot.code).toBe(1);
    expect(changedRoot.out).toMatch(/✗ checkpoint signature/);

    const stranger = formatVerifierKey(signerFromSeed('consent-ledger.test/proof', generateSeed()));
    const wrongKey = await runCli('verify-proof', file('proof.json', proofText), '--vkey', stranger);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.out).toContain('NOT VERIFIED');
  });

  it('verify: the live ledger extends a checkpoint saved earlier, until history is rewritten', async () => {
    const saved = join(dir, 'checkpoint.txt');
    const first = await runCli('verify', '--url', ledger.baseUrl, '--key', ledger.adminKey, '--vkey', vkey, '--save', saved);
    expect(first.code).toBe(0);
    await record(ledger, 'jade', 'ConsentGranted');
    await seal(ledger);
    const later = await runCli('verify', '--url', ledger.baseUrl, '--key', ledger.adminKey, '--vkey', vkey, '--since', saved);
    expect(later.out).toContain('✓ consistency from the saved checkpoint');
    expect(later.code).toBe(0);

    await asTamperer(ledger, (client) => client.query(`DELETE FROM events WHERE stream_id = 'subject:ines' AND stream_version = 1`));
    await resealFromScratch(ledger);
    const rewritten = await runCli('verify', '--url', ledger.baseUrl, '--key', ledger.adminKey, '--vkey', vkey, '--since', saved);
    expect(rewritten.code).toBe(1);
    expect(rewritten.out).toContain('✗ consistency from the saved checkpoint');
    expect(rewritten.out).toContain('✗ ledger verify');
  });

  it('export: streams GET /v1/subjects/{id}/export with the key', async () => {
    const server = createServer((request, response) => {
      response.writeHead(request.headers.authorization === 'Bearer k' ? 200 : 401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ path: request.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const exported = await runCli('export', 'u:1', '--url', url, '--key', 'k', '--format', 'iso27560');
      expect(JSON.parse(exported.out)).toEqual({ path: '/v1/subjects/u%3A1/export?format=iso27560' });
    } finally {
      server.close();
    }
  });
});

describe('ledger rebuild --diff', () => {
  it('finds no difference after 10,000 events through the API, and finds a projection row changed behind its back', async () => {
    const ledger = await startProofLedger({ CHECKPOINT_INTERVAL_MS: '0' });
    try {
      for (const purpose of ['ads', 'stats', 'partners', 'sms']) {
        expect((await ledger.put(`/v1/purposes/${purpose}`, { title: purpose, description: purpose, legalBasis: 'consent' })).status).toBe(201);
      }
      const purposes = ['newsletter', 'ads', 'stats', 'partners', 'sms'];
      const types = ['ConsentGranted', 'ConsentRefused', 'ConsentWithdrawn'];
      let posted = 0;
      await Promise.all(Array.from({ length: 16 }, async (_, worker) => {
        for (let n = worker; n < 1000; n += 16) {
          // 10 events a request: two choices per purpose, some imported with an older occurredAt so the ordering rule is exercised.
          const events = purposes.flatMap((purpose, p) => [0, 1].map((k) => ({ type: types[(n + p + k) % 3], purpose })));
          const response = await ledger.post(`/v1/subjects/s-${n % 400}/events`, {
            events, source: { channel: 'web' }, ...(n % 7 === 0 ? { occurredAt: new Date(Date.now() - 86_400_000 * (n % 30)).toISOString() } : {}),
          });
          expect(response.status).toBe(201);
          posted += events.length;
        }
      }));
      expect(posted).toBe(10_000);
      const clean = await runCli('rebuild', '--diff', '--database-url', ledger.databaseUrl);
      expect(clean.out).toContain('replayed 10000 subject events into 2000 state rows');
      expect(clean.out).toContain('NO DIFFERENCE');
      expect(clean.code).toBe(0);

      await asTamperer(ledger, (client) => client.query(`UPDATE consent_state SET position = position + 1 WHERE subject_id = 's-8' AND purpose_id = 'sms'`));
      const drifted = await runCli('rebuild', '--diff', '--database-url', ledger.databaseUrl);
      expect(drifted.out).toMatch(/≠ s-8 \/ sms/);
      expect(drifted.code).toBe(1);
    } finally {
      await ledger.close();
    }
  });
});
