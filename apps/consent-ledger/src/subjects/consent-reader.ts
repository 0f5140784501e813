import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ConsentEntry, ConsentRecord, ConsentStatus, Purpose, SubjectEvent, consentEntry, subjectStateAt, subjectStreamId,
} from '@consent-ledger/domain';
import { EventStore, readSubjectState } from '@consent-ledger/ledger-store';
import { DataSource } from 'typeorm';
import { ProblemException } from '../http/problem';
import { PurposeCatalog } from '../purposes/purpose-catalog';

export interface ConsentsView {
  subjectId: string;
  asOf: string;
  streamVersion: number;
  consents: ConsentEntry[];
}

export interface BulkDecision {
  purpose: string;
  allowed: string[];
  denied: string[];
}

interface CheckRow {
  subject_id: string;
  status: ConsentStatus;
  purpose_version: number;
  since: Date;
  expires_at: Date | null;
  stream_version: number;
}

/**
 * The read side: current state from the projection (one indexed read), state at a past instant
 * by folding the log up to it. Both end in the domain's allowed-policy.
 */
@Injectable()
export class ConsentReader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly catalog: PurposeCatalog,
  ) {}

  async consents(subjectId: string, at: Date | undefined): Promise<ConsentsView> {
    const asOf = at ?? new Date();
    const state = at ? await this.stateAt(subjectId, at) : (await readSubjectState((sql, p) => this.dataSource.query(sql, p), subjectId)).state;
    return {
      subjectId,
      asOf: asOf.toISOString(),
      streamVersion: state.version,
      consents: this.catalog.all().map((purpose) => consentEntry(state.consents[purpose.purposeId], purpose, asOf, state.erasedAt)),
    };
  }

  async check(subjectId: string, purposeId: string): Promise<ConsentEntry> {
    const purpose = this.requirePurpose(purposeId);
    const [row]: (Partial<CheckRow> & { erased_at: Date | null })[] = await this.dataSource.query(
      `SELECT cs.subject_id, cs.status, cs.purpose_version, cs.since, cs.expires_at, cs.stream_version, st.erased_at
       FROM (SELECT 1) AS one
       LEFT JOIN consent_state cs ON cs.subject_id = $1 AND cs.purpose_id = $2
       LEFT JOIN streams st ON st.stream_id = $3 AND st.erased_at IS NOT NULL`,
      [subjectId, purposeId, subjectStreamId(subjectId)],
    );
    const record = row.status ? toRecord(purposeId, row as CheckRow) : undefined;
    return consentEntry(record, purpose, new Date(), row.erased_at?.toISOString() ?? null);
  }

  async checkMany(purposeId: string, subjectIds: string[]): Promise<BulkDecision> {
    const purpose = this.requirePurpose(purposeId);
    const unique = [...new Set(subjectIds)];
    const [rows, erased]: [CheckRow[], { stream_id: string; erased_at: Date }[]] = await Promise.all([
      this.dataSource.query(
        `SELECT subject_id, status, purpose_version, since, expires_at, stream_version
         FROM consent_state WHERE purpose_id = $1 AND subject_id = ANY($2::text[])`,
        [purposeId, unique],
      ),
      this.dataSource.query(
        `SELECT stream_id, erased_at FROM streams WHERE erased_at IS NOT NULL AND stream_id = ANY($1::text[])`,
        [unique.map(subjectStreamId)],
      ),
    ]);
    const records = new Map(rows.map((row) => [row.subject_id, toRecord(purposeId, row)]));
    const erasedAt = new Map(erased.map((row) => [row.stream_id, row.erased_at.toISOString()]));
    const now = new Date();
    const decision: BulkDecision = { purpose: purposeId, allowed: [], denied: [] };
    for (const subjectId of unique) {
      const entry = consentEntry(records.get(subjectId), purpose, now, erasedAt.get(subjectStreamId(subjectId)) ?? null);
      (entry.allowed ? decision.allowed : decision.denied).push(subjectId);
    }
    return decision;
  }

  requirePurpose(purposeId: string): Purpose {
    const purpose = this.catalog.get(purposeId);
    if (!purpose) throw ProblemException.of(404, 'purpose_not_found', `no purpose ${purposeId}`);
    return purpose;
  }

  private async stateAt(subjectId: string, at: Date) {
    const events = await this.store.readStream(subjectStreamId(subjectId), { occurredUntil: at });
    return subjectStateAt(subjectId, events.map((e) => e.data as unknown as SubjectEvent), at);
  }
}

function toRecord(purpose: string, row: CheckRow): ConsentRecord {
  return {
    purpose,
    status: row.status,
    purposeVersion: row.purpose_version,
    since: row.since.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    streamVersion: row.stream_version,
  };
}
