import { inParallel, sql } from '../relay/relay-fixture';
import { LedgerApp } from '../e2e/ledger-app';
import { erase, grant, personalProof, publishPurposes } from './rights-fixture';

/**
 * An erasure and a grant for the same subject, from two instances (two connection pools): whichever
 * takes the stream lock first, the subject ends erased and no proof field of it can be read.
 */
describe('erasure racing with a grant', () => {
  let eraser: LedgerApp;
  let writer: LedgerApp;

  beforeAll(async () => {
    eraser = await LedgerApp.start();
    writer = await LedgerApp.start({ DATABASE_URL: eraser.databaseUrl });
    await publishPurposes(eraser);
  });
  afterAll(async () => {
    await writer?.close();
    await eraser?.close();
  });

  it('ends erased in either order, never with a readable proof field', async () => {
    const rounds = Array.from({ length: 30 }, (_, i) => i);
    const outcomes = await inParallel(rounds, 4, async (i) => {
      const subjectId = `race-${i}`;
      // Half the subjects already exist (a key to destroy), half are new (a key the grant would create).
      if (i % 2 === 0) expect((await grant(writer, subjectId, ['newsletter'], personalProof(`first-${i}`))).status).toBe(201);
      const proof = personalProof(`race-${i}`);
      const erasing = () => erase(eraser, subjectId);
      const granting = () => grant(writer, subjectId, ['audience-measurement'], proof);
      // A third of the rounds in each fixed order, so that both orders are covered whatever the scheduling; the rest race.
      const [erasure, granted] = i % 3 === 0
        ? [await erasing(), await granting()]
        : i % 3 === 1
          ? await granting().then(async (g) => [await erasing(), g])
          : await Promise.all([erasing(), granting()]);
      expect(erasure.status).toBe(201);
      expect([201, 422]).toContain(granted.status);
      if (granted.status === 422) expect(granted.body.type).toBe('urn:consent-ledger:problem:subject_erased');
      return { subjectId, proof, grantFirst: granted.status === 201 };
    });
    expect(new Set(outcomes.map((o) => o.grantFirst))).toEqual(new Set([true, false]));

    const streams = await sql<{ stream_id: string; data_key: Buffer | null; erased_at: Date | null }>(eraser.databaseUrl,
      `SELECT stream_id, data_key, erased_at FROM streams WHERE stream_id LIKE 'subject:race-%'`);
    expect(streams).toHaveLength(rounds.length);
    for (const stream of streams) expect(stream).toMatchObject({ data_key: null, erased_at: expect.any(Date) });
    for (const { subjectId, proof } of outcomes) {
      const history = await eraser.get(`/v1/subjects/${subjectId}/events`);
      for (const event of history.body.events) {
        if (event.type === 'SubjectErased') continue;
        expect(event.proof).toMatchObject({ ip: '[erased]', userAgent: '[erased]', evidence: '[erased]' });
      }
      expect(JSON.stringify(history.body)).not.toContain(proof.ip);
      expect(history.body.events.filter((e: { type: string }) => e.type === 'SubjectErased')).toHaveLength(1);
    }
  });
});
