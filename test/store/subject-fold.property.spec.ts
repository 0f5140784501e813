import {
  LegalBasis, Purpose, PurposeCommand, SubjectCommand, SubjectEvent, consentEntry, decidePurpose, decideSubject,
  foldPurpose, foldSubject, isDomainError, purposePolicyAt, purposeStreamId, subjectStreamId,
} from '@consent-ledger/domain';
import {
  ConsentStateGateway, EventStore, PurposeReadModel, SubjectStreams, decodePurposeEvent, decodeSubjectEvent, encodeEvent, newEventId,
} from '@consent-ledger/ledger-store';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { openStore } from './store-fixture';

const PURPOSES = ['p-consent', 'p-interest', 'p-contract'] as const;
const BASES: Record<(typeof PURPOSES)[number], LegalBasis> = { 'p-consent': 'consent', 'p-interest': 'legitimate_interest', 'p-contract': 'contract' };
const NOW = Date.parse('2026-06-01T00:00:00Z');
const DAY = 86_400_000;

type Step =
  | { kind: 'subject'; command: SubjectCommand; nowMs: number }
  | { kind: 'purpose'; command: PurposeCommand; nowMs: number };

/**
 * Random histories: choices with occurredAt up to three years in the past (late imports, ties on the
 * same instant), the service's expiries at later clocks, erasure, and purpose versions (material or not)
 * and retirements in between. Validity is short, so grants lapse within the histories.
 */
const step = (subjectId: string): fc.Arbitrary<Step> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record({
      choices: fc.array(fc.record({
        type: fc.constantFrom('ConsentGranted', 'ConsentRefused', 'ConsentWithdrawn', 'ObjectionRecorded', 'ObjectionLifted' as const),
        purpose: fc.constantFrom(...PURPOSES),
      }), { minLength: 1, maxLength: 3 }),
      // A handful of instants, so that equal occurredAt (stream order breaks the tie) is common.
      daysAgo: fc.option(fc.constantFrom(0, 1, 30, 200, 400, 1000), { nil: undefined }),
      clockDays: fc.integer({ min: 0, max: 500 }),
    }).map(({ choices, daysAgo, clockDays }): Step => ({
      kind: 'subject',
      nowMs: NOW + clockDays * DAY,
      command: {
        type: 'RecordChoices', subjectId, choices,
        ...(daysAgo === undefined ? {} : { occurredAt: new Date(NOW + clockDays * DAY - daysAgo * DAY).toISOString() }),
      },
    })) },
    { weight: 2, arbitrary: fc.record({ purpose: fc.constantFrom(...PURPOSES), clockDays: fc.integer({ min: 0, max: 900 }) })
      .map(({ purpose, clockDays }): Step => ({ kind: 'subject', nowMs: NOW + clockDays * DAY, command: { type: 'ExpireConsent', subjectId, purpose } })) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 500 })
      .map((clockDays): Step => ({ kind: 'subject', nowMs: NOW + clockDays * DAY, command: { type: 'EraseSubject', subjectId } })) },
    { weight: 2, arbitrary: fc.record({ purpose: fc.constantFrom(...PURPOSES), material: fc.boolean(), title: fc.constantFrom('a', 'b', 'c') })
      .map(({ purpose, material, title }): Step => ({
        kind: 'purpose', nowMs: NOW,
        command: { type: 'PublishPurpose', purposeId: purpose, title, description: 'd', legalBasis: BASES[purpose], validityDays: 90, materialChange: material },
      })) },
    { weight: 1, arbitrary: fc.constantFrom(...PURPOSES)
      .map((purpose): Step => ({ kind: 'purpose', nowMs: NOW, command: { type: 'RetirePurpose', purposeId: purpose } })) },
  );

describe('the write path keeps consent_state equal to the domain fold', () => {
  let dataSource: DataSource;
  let store: EventStore;
  let gateway: ConsentStateGateway;
  let streams: SubjectStreams;
  let readModel: PurposeReadModel;

  beforeAll(async () => {
    ({ dataSource, store } = await openStore());
    gateway = new ConsentStateGateway(dataSource);
    readModel = new PurposeReadModel(dataSource);
    streams = new SubjectStreams(store, gateway, readModel);
  });
  afterAll(() => dataSource.destroy());

  /** Purposes live in streams of their own per run (their ids are global), so each run prefixes them. */
  const scoped = (run: string, command: PurposeCommand): PurposeCommand => ({ ...command, purposeId: `${run}.${command.purposeId}` });

  async function publishPurpose(command: PurposeCommand, nowMs: number): Promise<void> {
    await store.withStream(purposeStreamId(command.purposeId), undefined, async (stream) => {
      const state = foldPurpose((await stream.events()).map(decodePurposeEvent));
      const decision = decidePurpose(command, state, new Date(nowMs));
      if (isDomainError(decision)) return;
      await stream.append(decision.map((event) => ({ eventId: newEventId(), ...encodeEvent(event), metadata: {} })));
      await readModel.apply(stream.query, decision);
    });
  }

  const purposesOf = async (run: string): Promise<Purpose[]> =>
    (await readModel.loadAll()).filter((purpose) => purpose.purposeId.startsWith(`${run}.`));

  let runs = 0;

  it('decides as decideSubject on the fold of the stream, and projects exactly that fold (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step('S'), { minLength: 1, maxLength: 12 }), async (generated) => {
        // Each run (and each shrink) writes a subject and purposes of its own.
        const run = `run${runs++}`;
        const subjectId = `${run}-subject`;
        const steps = generated.map((s): Step => (s.kind === 'subject' ? { ...s, command: { ...s.command, subjectId } } : s));
        // Every purpose exists before the first choice, so most choices are decided on their merits.
        for (const purposeId of PURPOSES) {
          await publishPurpose(scoped(run, { type: 'PublishPurpose', purposeId, title: 't', description: 'd', legalBasis: BASES[purposeId], validityDays: 90 }), NOW);
        }
        for (const { kind, command, nowMs } of steps) {
          if (kind === 'purpose') {
            await publishPurpose(scoped(run, command), nowMs);
            continue;
          }
          const scopedCommand: SubjectCommand = command.type === 'RecordChoices'
            ? { ...command, choices: command.choices.map((c) => ({ ...c, purpose: `${run}.${c.purpose}` })) }
            : command.type === 'ExpireConsent' ? { ...command, purpose: `${run}.${command.purpose}` } : command;
          const now = new Date(nowMs);
          // What the domain alone says, from the stream itself and the purposes as committed.
          const history = (await store.readStream(subjectStreamId(subjectId))).map(decodeSubjectEvent);
          const purposes = new Map((await purposesOf(run)).map((p) => [p.purposeId, p]));
          const expected = decideSubject(scopedCommand, { subject: foldSubject(subjectId, history), purposes }, now);

          let outcome: SubjectEvent[] | string;
          try {
            const result = await streams.handle(subjectId, (state) => {
              const decision = decideSubject(scopedCommand, state, now);
              if (isDomainError(decision)) throw new Error(decision.code);
              return decision;
            }, { purposeIds: purposes.keys(), metadata: {} });
            outcome = result.appended.map(decodeSubjectEvent);
          } catch (error) {
            outcome = (error as Error).message;
          }
          expect(outcome).toEqual(isDomainError(expected) ? expected.code : expected);
        }
        const events = (await store.readStream(subjectStreamId(subjectId))).map(decodeSubjectEvent);
        const folded = foldSubject(subjectId, events);
        const projected = await gateway.subject(subjectId);
        expect(projected).toEqual(folded);
        // And so every decision read from the projection is the one the fold gives, at any instant,
        // by the single check's read and by the bulk check's.
        for (const purpose of await purposesOf(run)) {
          for (const at of [NOW, NOW + 100 * DAY, NOW + 1000 * DAY]) {
            const expected = consentEntry(folded.consents[purpose.purposeId], purpose, new Date(at), folded.erasedAt);
            const [pair] = await gateway.pairs([{ subjectId, purposeId: purpose.purposeId }]);
            expect(consentEntry(pair.record, purpose, new Date(at), pair.erasedAt)).toEqual(expected);
            const slice = await gateway.forPurpose(purpose.purposeId, [`${run}-nobody`, subjectId]);
            const { status, allowed, reason, reconsentRequired } = expected;
            expect(purposePolicyAt(purpose, new Date(at)).decide(slice.records.get(subjectId), slice.erasedAt.get(subjectId) ?? null))
              .toEqual({ status, allowed, reason, reconsentRequired });
          }
        }
      }),
      { numRuns: 40, seed: 20261127, endOnFailure: true },
    );
  });
});
