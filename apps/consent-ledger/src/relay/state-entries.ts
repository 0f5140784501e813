import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ConsentEntry, ConsentStatus, Purpose, PurposeEvent, PurposePublished, SubjectEvent, consentEntry, subjectStreamId,
} from '@consent-ledger/domain';
import { PurposeReadModel, StoredEvent } from '@consent-ledger/ledger-store';
import { Message } from 'kafkajs';
import { DataSource } from 'typeorm';
import { isSubjectEvent } from '../ledger/event-views';

interface StateRow {
  subject_id: string;
  purpose_id: string;
  status: ConsentStatus;
  purpose_version: number;
  since: Date;
  expires_at: Date | null;
  stream_version: number;
  position: string;
  erased_at: Date | null;
}

const PURPOSE_PAGE = 5_000;

const changesDecisions = (event: StoredEvent): boolean =>
  event.type === 'PurposeRetired' || (event.type === 'PurposePublished' && (event.data as unknown as PurposePublished).materialChange);

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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly readModel: PurposeReadModel,
  ) {}

  async messagesFor(events: readonly StoredEvent[]): Promise<Message[]> {
    // The log brings purpose changes before the choices that rely on them: reloading as they pass
    // keeps the purposes at least as new as the batch.
    if (this.purposes.size === 0 || events.some((event) => !isSubjectEvent(event))) await this.reloadPurposes();
    const keys = new Map<string, { subjectId: string; purposeId: string }>();
    for (const event of events) {
      const data = event.data as unknown as SubjectEvent;
      if (isSubjectEvent(event) && 'purpose' in data) {
        keys.set(`${data.purpose}:${data.subjectId}`, { subjectId: data.subjectId, purposeId: data.purpose });
      }
    }
    for (const key of await this.keysOfErasedSubjects(events)) keys.set(`${key.purposeId}:${key.subjectId}`, key);
    if (keys.size === 0) return [];
    const wanted = [...keys.values()];
    const rows: StateRow[] = await this.dataSource.query(
      `SELECT cs.subject_id, cs.purpose_id, cs.status, cs.purpose_version, cs.since, cs.expires_at, cs.stream_version,
              cs.position, st.erased_at
       FROM unnest($1::text[], $2::text[], $3::text[]) AS k(subject_id, purpose_id, stream_id)
       JOIN consent_state cs USING (subject_id, purpose_id)
       LEFT JOIN streams st ON st.stream_id = k.stream_id`,
      [wanted.map((k) => k.subjectId), wanted.map((k) => k.purposeId), wanted.map((k) => subjectStreamId(k.subjectId))],
    );
    // A choice can commit with an older transaction id than the purpose version it names.
    if (rows.some((row) => !this.purposes.has(row.purpose_id))) await this.reloadPurposes();
    const now = new Date();
    return rows.map((row) => this.message(row, now));
  }

  /**
   * Every entry of the purposes whose change can flip decisions that no subject event will touch
   * (a material change, a retirement), in pages, so a state-topic reader never keeps a stale `allowed`.
   */
  async *entriesOfChangedPurposes(events: readonly StoredEvent[]): AsyncGenerator<Message[]> {
    const changed = [...new Set(events.filter(changesDecisions).map((event) => (event.data as unknown as PurposeEvent).purposeId))];
    if (changed.length === 0) return;
    await this.reloadPurposes();
    for (const purposeId of changed) {
      let after = '';
      for (;;) {
        const rows: StateRow[] = await this.dataSource.query(
          `SELECT cs.subject_id, cs.purpose_id, cs.status, cs.purpose_version, cs.since, cs.expires_at, cs.stream_version,
                  cs.position, st.erased_at
           FROM consent_state cs LEFT JOIN streams st ON st.stream_id = 'subject:' || cs.subject_id
           WHERE cs.purpose_id = $1 AND cs.subject_id > $2
           ORDER BY cs.subject_id LIMIT $3`,
          [purposeId, after, PURPOSE_PAGE],
        );
        if (rows.length === 0) break;
        const now = new Date();
        yield rows.map((row) => this.message(row, now));
        after = rows[rows.length - 1].subject_id;
      }
    }
  }

  /**
   * An erased subject's keys are tombstoned (null value), whatever event brought them here: a reader of
   * the compacted topic from its beginning then holds nothing for the subject.
   */
  private message(row: StateRow, now: Date): Message {
    const key = `${row.purpose_id}:${row.subject_id}`;
    return { key, value: row.erased_at === null ? JSON.stringify(this.entry(row, now)) : null };
  }

  /** Every key the state topic holds for the subjects a batch erases: those of their projection rows. */
  private async keysOfErasedSubjects(events: readonly StoredEvent[]): Promise<{ subjectId: string; purposeId: string }[]> {
    const erased = events.filter((event) => isSubjectEvent(event) && event.type === 'SubjectErased')
      .map((event) => (event.data as unknown as SubjectEvent).subjectId);
    if (erased.length === 0) return [];
    const rows: { subject_id: string; purpose_id: string }[] = await this.dataSource.query(
      `SELECT subject_id, purpose_id FROM consent_state WHERE subject_id = ANY($1::text[])`,
      [erased],
    );
    return rows.map((row) => ({ subjectId: row.subject_id, purposeId: row.purpose_id }));
  }

  private entry(row: StateRow, now: Date): StateEntry {
    const purpose = this.purposes.get(row.purpose_id);
    if (!purpose) throw new Error(`consent_state names purpose ${row.purpose_id}, which is not in purposes`);
    const record = {
      purpose: row.purpose_id,
      status: row.status,
      purposeVersion: row.purpose_version,
      since: row.since.toISOString(),
      expiresAt: row.expires_at?.toISOString() ?? null,
      streamVersion: row.stream_version,
    };
    return { subjectId: row.subject_id, ...consentEntry(record, purpose, now, row.erased_at?.toISOString() ?? null), position: Number(row.position) };
  }

  private async reloadPurposes(): Promise<void> {
    this.purposes = new Map((await this.readModel.loadAll()).map((purpose) => [purpose.purposeId, purpose]));
  }
}
