import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { register } from '../../apps/ledger-cli/src/commands/rotate-master-key';
import { inParallel, sql } from '../relay/relay-fixture';
import { LedgerApp } from '../e2e/ledger-app';
import { personalProof, publishPurposes, web } from './rights-fixture';

const OLD_KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('base64');

/** Runs `ledger rotate-master-key` as the CLI does, with the keys in the environment; returns what it printed. */
async function rotate(databaseUrl: string, batchSize: number): Promise<{ stdout: string; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, { DATABASE_URL: databaseUrl, CONSENT_MASTER_KEY: NEW_KEY, CONSENT_MASTER_KEY_PREVIOUS: OLD_KEY });
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  try {
    const program = new Command('ledger').exitOverride();
    register(program);
    await program.parseAsync(['rotate-master-key', '--batch-size', String(batchSize)], { from: 'user' });
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.env = saved;
  }
  return { stdout: out.join(''), stderr: err.join('') };
}

interface Posted {
  subjectId: string;
  proof: ReturnType<typeof personalProof>;
  eventId: string;
}

describe('master key rotation (ledger rotate-master-key)', () => {
  let old: LedgerApp;
  let rotating: LedgerApp;

  beforeAll(async () => {
    old = await LedgerApp.start({ CONSENT_MASTER_KEY: OLD_KEY });
    await publishPurposes(old);
  });
  afterAll(async () => {
    await rotating?.close();
    await old?.close();
  });

  const post = async (ledger: LedgerApp, subjectId: string, tag: string): Promise<Posted> => {
    const proof = personalProof(tag);
    const response = await ledger.post(`/v1/subjects/${subjectId}/events`, { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source: web, proof });
    expect(response.status).toBe(201);
    return { subjectId, proof, eventId: response.body.events[0].eventId };
  };

  it('rewraps every data key under a write load; afterwards every proof field opens with the new key alone', async () => {
    const before = await inParallel(Array.from({ length: 60 }, (_, i) => i), 8, (i) => post(old, `rot-${i}`, `old-${i}`));
    await old.close();

    // Every instance restarts with both keys, then the rotation runs while they keep writing.
    rotating = await LedgerApp.start({ CONSENT_MASTER_KEY: NEW_KEY, CONSENT_MASTER_KEY_PREVIOUS: OLD_KEY, DATABASE_URL: old.databaseUrl });
    let rotationDone = false;
    const load = (async () => {
      const written: Posted[] = [];
      for (let round = 0; !rotationDone || round < 3; round++) {
        // Existing subjects (keys being rewrapped) and new ones (keys created under the new master key).
        written.push(...(await inParallel(Array.from({ length: 12 }, (_, i) => i), 6, (i) =>
          post(rotating, i % 2 === 0 ? `rot-${(round * 7 + i) % 60}` : `rot-new-${round}-${i}`, `load-${round}-${i}`))));
      }
      return written;
    })();
    const { stdout, stderr } = await rotate(old.databaseUrl, 4);
    rotationDone = true;
    const during = await load;

    const report = JSON.parse(stdout);
    expect(report.rewrapped).toBe(60);
    expect(report.batches).toBeGreaterThan(10);
    for (const text of [stdout, stderr]) {
      expect(text).not.toContain(OLD_KEY);
      expect(text).not.toContain(NEW_KEY);
    }
    // A second run finds nothing left under the old key.
    expect(JSON.parse((await rotate(old.databaseUrl, 50)).stdout)).toMatchObject({ rewrapped: 0 });

    await rotating.close();
    rotating = await LedgerApp.start({ CONSENT_MASTER_KEY: NEW_KEY, DATABASE_URL: old.databaseUrl });
    const everything = [...before, ...during];
    const [{ count }] = await sql<{ count: string }>(old.databaseUrl, `SELECT count(*) FROM events WHERE stream_id LIKE 'subject:%'`);
    expect(Number(count)).toBe(everything.length);
    const bySubject = new Map<string, Posted[]>();
    for (const p of everything) bySubject.set(p.subjectId, [...(bySubject.get(p.subjectId) ?? []), p]);
    for (const [subjectId, posted] of bySubject) {
      const { status, body } = await rotating.get(`/v1/subjects/${subjectId}/events?limit=1000`);
      expect(status).toBe(200);
      const proofs = new Map(body.events.map((e: { eventId: string; proof: unknown }) => [e.eventId, e.proof]));
      for (const p of posted) expect(proofs.get(p.eventId)).toEqual(p.proof);
    }
  }, 120_000);

  it('refuses to run without both keys in the environment', async () => {
    const saved = { ...process.env };
    delete process.env.CONSENT_MASTER_KEY_PREVIOUS;
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const program = new Command('ledger').exitOverride();
      register(program);
      await expect(program.parseAsync(['rotate-master-key'], { from: 'user' })).rejects.toThrow(/CONSENT_MASTER_KEY_PREVIOUS/);
    } finally {
      stderr.mockRestore();
      process.env = saved;
    }
  });
});
