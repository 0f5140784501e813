import { StoredEvent, storedEventHash } from '@consent-ledger/ledger-store';
import { openNote, parseCheckpoint, parseVerifierKey, verifyConsistency } from '@consent-ledger/transparency-log';
import { Client } from 'pg';
import { asTamperer, record, resealFromScratch, seal, startProofLedger, text } from './proof-fixture';


async function streamEvents(client: Client, streamId: string): Promise<(StoredEvent & { transactionId: string })[]> {
  const { rows } = await client.query(
    `SELECT global_position, transaction_id::text, event_id, stream_id, stream_version, type, data, schema_version, metadata, occurred_at, recorded_at,
            personal_digest, prev_hash, hash
     FROM events WHERE stream_id = $1 ORDER BY stream_version`,
    [streamId],
  );
  return rows.map((r) => ({
    position: Number(r.global_position), transactionId: r.transaction_id, eventId: r.event_id, streamId: r.stream_id,
    streamVersion: r.stream_version, type: r.type, data: r.data, schemaVersion: r.schema_version, metadata: r.metadata, occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(), personalDigest: r.personal_digest, prevHash: r.prev_hash, hash: r.hash,
  }));
}

/** A thorough tamperer: after changing events, recomputes every hash and link of the stream and its head, so the chain alone looks intact. */
async function rechain(client: Client, streamId: string): Promise<void> {
  let prev = '0'.repeat(64);
  for (const event of await streamEvents(client, streamId)) {
    const hash = storedEventHash({ ...event, prevHash: prev });
    await client.query('UPDATE events SET prev_hash = $2, hash = $3 WHERE event_id = $1', [event.eventId, prev, hash]);
    await client.query('UPDATE streams SET version = $2, head_hash = $3 WHERE stream_id = $1', [streamId, event.streamVersion, hash]);
    prev = hash;
  }
}

interface Case {
  name: string;
  tamper: (client: Client) => Promise<{ reason: string; position: number; streamId?: string; streamVersion?: number }>;
}

const cases: Case[] = [
  {
    name: 'an edited event (backdated, chain recomputed)',
    tamper: async (client) => {
      const [first] = await streamEvents(client, 'subject:ben');
      await client.query(`UPDATE events SET occurred_at = occurred_at - interval '1 year' WHERE event_id = $1`, [first.eventId]);
      await rechain(client, 'subject:ben');
      return { reason: 'leaf_mismatch', position: first.position, streamId: 'subject:ben', streamVersion: 1 };
    },
  },
  {
    name: 'a deleted event in the middle of a stream',
    tamper: async (client) => {
      const [, second] = await streamEvents(client, 'subject:ana');
      await client.query('DELETE FROM events WHERE event_id = $1', [second.eventId]);
      return { reason: 'leaf_event_missing', position: second.position };
    },
  },
  {
    name: "a stream's last event deleted, head moved back",
    tamper: async (client) => {
      const last = (await streamEvents(client, 'subject:chloe')).at(-1)!;
      await client.query('DELETE FROM events WHERE event_id = $1', [last.eventId]);
      await client.query('UPDATE streams SET version = version - 1, head_hash = $2 WHERE stream_id = $1', ['subject:chloe', last.prevHash]);
      return { reason: 'leaf_event_missing', position: last.position };
    },
  },
  {
    name: 'an event inserted into the past (chained to the head, in an old transaction)',
    tamper: async (client) => {
      const events = await streamEvents(client, 'subject:ana');
      const head = events.at(-1)!;
      const forged = {
        ...head, eventId: crypto.randomUUID(), streamVersion: head.streamVersion + 1, type: 'ConsentGranted',
        data: { ...head.data, type: 'ConsentGranted' }, prevHash: head.hash,
      };
      const hash = storedEventHash(forged);
      const { rows } = await client.query(
        `INSERT INTO events (transaction_id, event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at, personal_digest, prev_hash, hash)
         VALUES ($1::xid8, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING global_position`,
        [events[0].transactionId, forged.eventId, forged.streamId, forged.streamVersion, forged.type, forged.data, forged.metadata,
          forged.occurredAt, forged.recordedAt, forged.personalDigest, forged.prevHash, hash],
      );
      await client.query('UPDATE streams SET version = $2, head_hash = $3 WHERE stream_id = $1', ['subject:ana', forged.streamVersion, hash]);
      return { reason: 'unsealed_event', position: Number(rows[0].global_position), streamId: 'subject:ana', streamVersion: forged.streamVersion };
    },
  },
  {
    name: 'two events swapped (chain recomputed)',
    tamper: async (client) => {
      const [, second, third] = await streamEvents(client, 'subject:ben');
      for (const [target, source] of [[second, third], [third, second]]) {
        await client.query('UPDATE events SET type = $2, data = $3, occurred_at = $4 WHERE event_id = $1', [target.eventId, source.type, source.data, source.occurredAt]);
      }
      await rechain(client, 'subject:ben');
      return { reason: 'leaf_mismatch', position: second.position, streamId: 'subject:ben', streamVersion: 2 };
    },
  },
];

describe('verify and the transparency log against a superuser rewriting history', () => {
  it.each(cases)('$name: reported by verify with its position, and breaks consistency with a checkpoint taken before', async ({ tamper }) => {
    const ledger = await startProofLedger();
    try {
      const vkey = parseVerifierKey((await text(ledger, '/v1/ledger/verifier-key', null)).body);
      for (const subject of ['ana', 'ben', 'chloe']) {
        for (const type of ['ConsentGranted', 'ConsentWithdrawn', 'ConsentGranted']) expect((await record(ledger, subject, type)).status).toBe(201);
      }
      await seal(ledger);
      const before = parseCheckpoint(openNote((await text(ledger, '/v1/ledger/checkpoint')).body, [vkey]));
      expect(before.size).toBe(10);
      expect((await ledger.get('/v1/ledger/verify')).body).toMatchObject({ valid: true, events: 10, streams: 4, leaves: 10 });

      const expected = await asTamperer(ledger, tamper);
      const report = (await ledger.get('/v1/ledger/verify')).body;
      expect(report.valid).toBe(false);
      expect(report.firstInvalid).toMatchObject(expected);

      // The operator now re-derives the log from the rewritten events and signs it: an auditor holding
      // the earlier checkpoint asks for the consistency proof, and it fails.
      for (const type of ['ConsentGranted', 'ConsentWithdrawn']) expect((await record(ledger, 'zoe', type)).status).toBe(201);
      await resealFromScratch(ledger);
      const after = parseCheckpoint(openNote((await text(ledger, '/v1/ledger/checkpoint')).body, [vkey]));
      expect(after.size).toBeGreaterThanOrEqual(before.size);
      const consistency = await ledger.get(`/v1/ledger/consistency?from=${before.size}&to=${after.size}`);
      expect(consistency.status).toBe(200);
      const proof = consistency.body.proof.map((h: string) => Buffer.from(h, 'base64'));
      expect(verifyConsistency(before.size, after.size, before.rootHash, after.rootHash, proof)).toBe(false);
    } finally {
      await ledger.close();
    }
  });

  it("reports a removed stream tail that was not sealed yet by the stream's head", async () => {
    const ledger = await startProofLedger();
    try {
      await record(ledger, 'eve', 'ConsentGranted');
      await record(ledger, 'eve', 'ConsentWithdrawn');
      await asTamperer(ledger, (client) => client.query(`DELETE FROM events WHERE stream_id = 'subject:eve' AND stream_version = 2`));
      expect((await ledger.get('/v1/ledger/verify')).body).toMatchObject({
        valid: false, firstInvalid: { reason: 'head_mismatch', streamId: 'subject:eve', streamVersion: 2 },
      });
    } finally {
      await ledger.close();
    }
  });

  it('reports a checkpoint whose signed root the stored tree no longer matches', async () => {
    const ledger = await startProofLedger();
    try {
      await record(ledger, 'fay', 'ConsentGranted');
      await seal(ledger);
      await asTamperer(ledger, (client) => client.query(`UPDATE log_checkpoints SET root_hash = sha256(root_hash)`));
      expect((await ledger.get('/v1/ledger/verify')).body).toMatchObject({ valid: false, firstInvalid: { reason: 'checkpoint_mismatch' } });
    } finally {
      await ledger.close();
    }
  });
});
