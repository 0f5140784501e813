import { inParallel, lastInCommitOrder, record, uniquePrefix, until, untilRelay, usePublishingLedger } from './relay-fixture';

/**
 * `events` writes over `subjects` subjects, `inFlight` at once, all published exactly once, in stream
 * order per key, with the final state per key. Many subjects test throughput; few subjects with many
 * writers test that contention for one stream never lets a later version overtake an earlier one.
 */
function publishesInStreamOrder(name: string, events: number, subjectCount: number, inFlight: number): void {
  describe(`relay under concurrent writes: ${name}`, () => {
    const prefix = uniquePrefix(name);
    const publishing = usePublishingLedger(prefix);

    it(`publishes ${events} events over ${subjectCount} subjects (${inFlight} in flight) exactly once, in stream order per key, with the final state per key`, async () => {
      const { ledger, collector } = publishing;
      const subjects = Array.from({ length: subjectCount }, (_, i) => `${prefix}-${i}`);
      const responses = await inParallel(Array.from({ length: events }, (_, i) => i), inFlight, (i) =>
        record(ledger, subjects[i % subjectCount] as string, (i * 7) % 3 === 0 ? 'ConsentWithdrawn' : 'ConsentGranted'),
      );
      expect(responses.filter((r) => r.status !== 201)).toEqual([]);
      const written = responses.map((r) => r.body.events[0].eventId as string);

      await until(() => collector.eventIds().size === events, `${events} distinct events on consent.events.v1`, 40_000);
      const last = await lastInCommitOrder(ledger.databaseUrl);
      await untilRelay(ledger, 'the checkpoint to reach the last event', (s) => s.position === last && s.lag === 0);
      // Anything published twice was published before the checkpoint moved; it is all in the topic now.
      await collector.caughtUp();

      const published = collector.events();
      expect(published).toHaveLength(events);
      expect(new Set(published.map((m) => m.value.eventId))).toEqual(new Set(written));
      for (const subjectId of subjects) {
        const versions = published.filter((m) => m.key === subjectId).map((m) => m.value.streamVersion);
        expect(versions).toEqual(Array.from({ length: events / subjectCount }, (_, i) => i + 1));
      }
      // The global feed, read in pages as a consumer would, agrees.
      const feed: { subjectId: string; streamVersion: number }[] = [];
      for (let after = 0; ;) {
        const { body } = await ledger.get(`/v1/events?after=${after}&limit=100`);
        feed.push(...body.events);
        if (body.next === after) break;
        after = body.next;
      }
      for (const subjectId of subjects) {
        expect(feed.filter((e) => e.subjectId === subjectId).map((e) => e.streamVersion))
          .toEqual(Array.from({ length: events / subjectCount }, (_, i) => i + 1));
      }

      const lastState = new Map(collector.states().map((m) => [m.key, m.value]));
      expect(lastState.size).toBe(subjectCount);
      for (const subjectId of subjects) {
        const { body } = await ledger.get(`/v1/subjects/${subjectId}/consents/newsletter`);
        expect(lastState.get(`newsletter:${subjectId}`)).toMatchObject({ status: body.status, allowed: body.allowed, since: body.since });
      }
    });
  });
}

publishesInStreamOrder('load', 1_000, 50, 32);
publishesInStreamOrder('contention', 240, 3, 24);
