import {
  inParallel, lastInCommitOrder, newsletter, record, relayOf, sql, uniquePrefix, until, untilRelay, usePublishingLedger,
} from './relay-fixture';

describe('relay: ledger events to Kafka', () => {
  const prefix = uniquePrefix('pub');
  const publishing = usePublishingLedger(prefix);

  it('publishes a withdrawal with its headers and documented value, without proof fields, and its state entry', async () => {
    const { ledger, collector } = publishing;
    const subjectId = `${prefix}-alice`;
    const proof = { ip: '203.0.113.7', userAgent: 'Firefox/140', method: 'checkbox' };
    expect((await record(ledger, subjectId, 'ConsentGranted', { proof })).status).toBe(201);
    const withdrawal = await record(ledger, subjectId, 'ConsentWithdrawn', { proof });
    expect(withdrawal.status).toBe(201);
    const written = withdrawal.body.events[0];

    await until(() => collector.eventIds().has(written.eventId), 'the withdrawal on consent.events.v1');
    const message = collector.events().find((m) => m.value.eventId === written.eventId)!;
    expect(message.key).toBe(subjectId);
    expect(message.headers).toEqual({ 'event-type': 'ConsentWithdrawn', 'event-id': written.eventId, 'schema-version': '1', 'ledger-signature': expect.any(String) });
    expect(message.value).toEqual({
      eventId: written.eventId,
      type: 'ConsentWithdrawn',
      subjectId,
      purpose: 'newsletter',
      purposeVersion: 1,
      occurredAt: written.occurredAt,
      recordedAt: written.recordedAt,
      position: written.position,
      streamVersion: 2,
      source: { channel: 'web' },
      hash: written.hash,
    });
    expect(JSON.stringify(collector.events().map((m) => m.value))).not.toMatch(/203\.0\.113\.7|Firefox|userAgent|proof/);

    const stateKey = `newsletter:${subjectId}`;
    await until(() => collector.states().some((m) => m.key === stateKey && m.value.position === written.position), 'the state entry');
    const state = collector.states().filter((m) => m.key === stateKey).at(-1)!;
    const { body: consents } = await ledger.get(`/v1/subjects/${subjectId}/consents/newsletter`);
    expect(state.value).toEqual({
      subjectId,
      purpose: 'newsletter',
      purposeVersion: 1,
      currentPurposeVersion: 1,
      legalBasis: 'consent',
      status: 'withdrawn',
      allowed: false,
      reason: 'consent_withdrawn',
      since: consents.since,
      expiresAt: null,
      reconsentRequired: false,
      position: written.position,
    });
  });

  it('publishes every subject event once and in stream order, skips purpose events, and moves the checkpoint past them all', async () => {
    const { ledger, collector } = publishing;
    const subjects = Array.from({ length: 5 }, (_, i) => `${prefix}-s${i}`);
    const responses = await inParallel(Array.from({ length: 40 }, (_, i) => i), 8, (i) =>
      record(ledger, subjects[i % subjects.length] as string, i % 3 === 0 ? 'ConsentWithdrawn' : 'ConsentGranted'),
    );
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
    // A purpose version appended after the choices: the checkpoint must still pass it.
    expect((await ledger.put('/v1/purposes/newsletter', { ...newsletter, description: 'Weekly, now with offers.' })).status).toBe(200);
    const last = await lastInCommitOrder(ledger.databaseUrl);
    await untilRelay(ledger, 'the checkpoint to reach the last event', (s) => s.position === last && s.lag === 0);
    await collector.caughtUp();

    const ours = collector.events().filter((m) => subjects.includes(m.key));
    expect(ours.map((m) => m.value.eventId).sort()).toEqual(responses.map((r) => r.body.events[0].eventId).sort());
    for (const subjectId of subjects) {
      const versions = ours.filter((m) => m.key === subjectId).map((m) => m.value.streamVersion);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
    expect(collector.events().some((m) => m.value.type.startsWith('Purpose'))).toBe(false);
    const [checkpoint] = await sql<{ global_position: string }>(ledger.databaseUrl, `SELECT global_position FROM relay_checkpoints WHERE name = 'kafka'`);
    expect(Number(checkpoint!.global_position)).toBe(last);
  });

  it('republishes the state entries of a purpose whose material change requires re-consent', async () => {
    const { ledger, collector } = publishing;
    const purposeId = `${prefix}-sharing`;
    const purpose = { title: 'Partage réseaux sociaux', description: 'Boutons de partage.', legalBasis: 'consent' };
    expect((await ledger.put(`/v1/purposes/${purposeId}`, purpose)).status).toBe(201);
    const subjects = [`${prefix}-m1`, `${prefix}-m2`];
    for (const subjectId of subjects) {
      expect((await ledger.post(`/v1/subjects/${subjectId}/events`, { events: [{ type: 'ConsentGranted', purpose: purposeId }], source: { channel: 'web' } })).status).toBe(201);
    }
    const latest = (subjectId: string) => collector.states().filter((m) => m.key === `${purposeId}:${subjectId}`).at(-1)?.value;
    await until(() => subjects.every((s) => latest(s)?.allowed === true), 'the grants on consent.state.v1');

    expect((await ledger.put(`/v1/purposes/${purposeId}`, { ...purpose, description: 'Partage et ciblage publicitaire.', materialChange: true })).status).toBe(200);
    await until(() => subjects.every((s) => latest(s)?.reconsentRequired === true), 'the re-consent entries on consent.state.v1');
    for (const subjectId of subjects) {
      expect(latest(subjectId)).toMatchObject({ allowed: false, reconsentRequired: true, purposeVersion: 1, currentPurposeVersion: 2 });
    }
  });

  it('reports Kafka and the relay in readiness and metrics', async () => {
    const { ledger } = publishing;
    const ready = await ledger.get('/health/ready', null);
    expect(ready.status).toBe(200);
    expect(ready.body.details.kafka).toMatchObject({ status: 'up', state: 'connected', relay: 'active', lag: 0 });
    const metrics = await fetch(`${ledger.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/consent_ledger_relay_published_messages_total\{topic="consent.events.v1"\} [1-9]/);
    expect(metrics).toMatch(/consent_ledger_relay_lag_positions 0/);
    expect(metrics).toMatch(/consent_ledger_relay_publish_latency_seconds_count [1-9]/);
    expect(relayOf(ledger).status().published).toBeGreaterThanOrEqual(42);
  });
});
