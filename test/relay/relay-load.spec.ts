import { inParallel, lastInCommitOrder, record, uniquePrefix, until, untilRelay, usePublishingLedger } from './relay-fixture';

const EVENTS = 1_000;
const SUBJECTS = 50;
const IN_FLIGHT = 32;

describe('relay under concurrent writes', () => {
  const prefix = uniquePrefix('load');
  const publishing = usePublishingLedger(prefix);

  it(`publishes ${EVENTS} events over ${SUBJECTS} subjects exactly once, in stream order per key, with the final state per key`, async () => {
    const { ledger, collector } = publishing;
    const subjects = Array.from({ length: SUBJECTS }, (_, i) => `${prefix}-${i}`);
    const responses = await inParallel(Array.from({ length: EVENTS }, (_, i) => i), IN_FLIGHT, (i) =>
      record(ledger, subjects[i % SUBJECTS] as string, (i * 7) % 3 === 0 ? 'ConsentWithdrawn' : 'ConsentGranted'),
    );
    expect(responses.filter((r) => r.status !== 201)).toEqual([]);
    const written = responses.map((r) => r.body.events[0].eventId as string);

    await until(() => collector.eventIds().size === EVENTS, `${EVENTS} distinct events on consent.events.v1`, 40_000);
    const last = await lastInCommitOrder(ledger.databaseUrl);
    await untilRelay(ledger, 'the checkpoint to reach the last event', (s) => s.position === last && s.lag === 0);
    // Anything published twice was published before the checkpoint moved; it is all in the topic now.
    await collector.caughtUp();

    const events = collector.events();
    expect(events).toHaveLength(EVENTS);
    expect(new Set(events.map((m) => m.value.eventId))).toEqual(new Set(written));
    for (const subjectId of subjects) {
      const versions = events.filter((m) => m.key === subjectId).map((m) => m.value.streamVersion);
      expect(versions).toEqual(Array.from({ length: EVENTS / SUBJECTS }, (_, i) => i + 1));
    }

    const lastState = new Map(collector.states().map((m) => [m.key, m.value]));
    expect(lastState.size).toBe(SUBJECTS);
    for (const subjectId of subjects) {
      const { body } = await ledger.get(`/v1/subjects/${subjectId}/consents/newsletter`);
      expect(lastState.get(`newsletter:${subjectId}`)).toMatchObject({ status: body.status, allowed: body.allowed, since: body.since });
    }
  });
});
