import { Injectable } from '@nestjs/common';
import { ConsentEntry, Purpose, PurposeEvent, consentEntry } from '@consent-ledger/domain';
import {
  ConsentStateGateway, PairState, PurposeReadModel, StoredEvent, decodePurposeEvent, decodeSubjectEvent, isSubjectEventType,
} from '@consent-ledger/ledger-store';
import { Message } from 'kafkajs';

const PURPOSE_PAGE = 5_000;

/** A purpose change that can flip decisions no subject event will touch. */
const changesDecisions = (event: PurposeEvent): boolean =>
  event.type === 'PurposeRetired' || (event.type === 'PurposePublished' && event.materialChange);

/** The value on consent.state.v1: the entry GET /v1/subjects/{id}/consents answers, plus its key's parts and position. */
type StateEntry = ConsentEntry & { subjectId: string; position: number };

/**
 * consent.state.v1 messages: the current entry of every (purpose, subject) a batch touches, read from
 * the projection when published, so the last message of a key is never older than the one before.
 */
@Injectable()
export class StateEntries {
  private purposes = new Map<string, Purpose>();

  constructor(
    private readonly gateway: ConsentStateGateway,
    private readonly readModel: PurposeReadModel,
  ) {}

  async messagesFor(events: readonly StoredEvent[]): Promise<Message[]> {
    // The log brings purpose changes before the choices that rely on them: reloading as they pass
    // keeps the purposes at least as new as the batch.
    if (this.purposes.size === 0 || events.some((event) => !isSubjectEventType(event.type))) await this.reloadPurposes();
    const keys = new Map<string, { subjectId: string; purposeId: string }>();
    for (const event of events) {
      if (!isSubjectEventType(event.type)) continue;
      const data = decodeSubjectEvent(event);
      if (data.type !== 'SubjectErased') keys.set(`${data.purpose}:${data.subjectId}`, { subjectId: data.subjectId, purposeId: data.purpose });
    }
    for (const key of await this.keysOfErasedSubjects(events)) keys.set(`${key.purposeId}:${key.subjectId}`, key);
    if (keys.size === 0) return [];
    const pairs = await this.gateway.decided([...keys.values()]);
    // A choice can commit with an older transaction id than the purpose version it names.
    if (pairs.some((pair) => !this.purposes.has(pair.purposeId))) await this.reloadPurposes();
    const now = new Date();
    return pairs.map((pair) => this.message(pair, now));
  }

  /**
   * Every entry of the purposes whose change can flip decisions that no subject event will touch
   * (a material change, a retirement), in pages, so a state-topic reader never keeps a stale `allowed`.
   */
  async *entriesOfChangedPurposes(events: readonly StoredEvent[]): AsyncGenerator<Message[]> {
    const changed = new Set<string>();
    for (const event of events) {
      if (isSubjectEventType(event.type)) continue;
      const data = decodePurposeEvent(event);
      if (changesDecisions(data)) changed.add(data.purposeId);
    }
    if (changed.size === 0) return;
    await this.reloadPurposes();
    for (const purposeId of changed) {
      let after = '';
      for (;;) {
        const pairs = await this.gateway.pageOfPurpose(purposeId, after, PURPOSE_PAGE);
        if (pairs.length === 0) break;
        const now = new Date();
        yield pairs.map((pair) => this.message(pair, now));
        after = pairs[pairs.length - 1].subjectId;
      }
    }
  }

  /**
   * An erased subject's keys are tombstoned (null value), whatever event brought them here: a reader of
   * the compacted topic from its beginning then holds nothing for the subject.
   */
  private message(pair: PairState, now: Date): Message {
    const key = `${pair.purposeId}:${pair.subjectId}`;
    return { key, value: pair.erasedAt === null ? JSON.stringify(this.entry(pair, now)) : null };
  }

  /** Every key the state topic holds for the subjects a batch erases: those of their projection rows. */
  private async keysOfErasedSubjects(events: readonly StoredEvent[]): Promise<{ subjectId: string; purposeId: string }[]> {
    const erased = events.filter((event) => event.type === 'SubjectErased').map((event) => decodeSubjectEvent(event).subjectId);
    if (erased.length === 0) return [];
    return (await this.gateway.decidedOfSubjects(erased)).map(({ subjectId, purposeId }) => ({ subjectId, purposeId }));
  }

  private entry(pair: PairState, now: Date): StateEntry {
    const purpose = this.purposes.get(pair.purposeId);
    if (!purpose) throw new Error(`consent_state names purpose ${pair.purposeId}, which is not in purposes`);
    return { subjectId: pair.subjectId, ...consentEntry(pair.record, purpose, now, pair.erasedAt), position: pair.position as number };
  }

  private async reloadPurposes(): Promise<void> {
    this.purposes = new Map((await this.readModel.loadAll()).map((purpose) => [purpose.purposeId, purpose]));
  }
}
