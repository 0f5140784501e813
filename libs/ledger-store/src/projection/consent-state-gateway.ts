import { ConsentRecord, ConsentStatus, DecidingRecord, SubjectState, subjectStreamId } from '@consent-ledger/domain';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { ClientBase, Pool } from 'pg';
import { CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '../events/pg-pool';
import { copyField } from './copy-text';
import { epochMs, isoInstant } from './sql-instant';

/**
 * The one row type of consent_state reads: a (subject, purpose) row, joined with its subject's
 * stream head (version, erasure). Instants are ISO 8601 text (isoInstant). Every column of the pair
 * is null when a left join found no decision for it.
 */
interface ConsentStateRow {
  subject_id: string;
  purpose_id: string | null;
  status: ConsentStatus | null;
  purpose_version: number | null;
  since: string | null;
  expires_at: string | null;
  stream_version: number | null;
  position: string | null;
  version: number | null;
  erased_at: string | null;
  /** The purpose's head as committed (purposes table), where a query joins it. */
  current_version?: number | null;
  retired_at?: string | null;
  /** The stream head's hash and wrapped data key, where the write path's read joins them. */
  head_hash?: string | null;
  data_key?: Buffer | null;
}

/** A subject's state with its stream's head, as the write path reads them (one statement, one snapshot). */
export interface SubjectWithHead {
  state: SubjectState;
  head: { version: number; headHash: string | null; dataKey: Buffer | null };
}

/** What the gateway answers about one (subject, purpose). */
export interface PairState {
  subjectId: string;
  purposeId: string;
  /** undefined: nothing decided for the pair ("no record means no" is the domain's to say). */
  record: ConsentRecord | undefined;
  /** Global position of the event that set the record. */
  position: number | null;
  erasedAt: string | null;
  /**
   * The purpose's current version and retirement as committed, where the read joins them (the checks):
   * a caller holding a cached purpose can tell that another instance changed it. null: no such purpose.
   */
  purposeHead?: PurposeHead | null;
}

/** A purpose's current version and retirement as committed (purposes table). */
export interface PurposeHead {
  currentVersion: number;
  retiredAt: string | null;
}

/** A record as the snapshot stores it, with the global position of the event that set it. */
export interface SnapshotRecord {
  subjectId: string;
  record: ConsentRecord;
  position: number;
}

const COLUMNS = `cs.purpose_id, cs.status, cs.purpose_version, ${isoInstant('cs.since')} AS since,
  ${isoInstant('cs.expires_at')} AS expires_at, cs.stream_version, cs.position, ${isoInstant('st.erased_at')} AS erased_at`;

const WRITTEN = 'subject_id, purpose_id, status, purpose_version, since, expires_at, stream_version, position';

const recordOfRow = (row: ConsentStateRow): ConsentRecord | undefined =>
  row.purpose_id === null || row.status === null
    ? undefined
    : {
        purpose: row.purpose_id,
        status: row.status,
        purposeVersion: row.purpose_version as number,
        since: row.since as string,
        expiresAt: row.expires_at,
        streamVersion: row.stream_version as number,
      };

const pairOfRow = (row: ConsentStateRow, purposeId: string): PairState => ({
  subjectId: row.subject_id,
  purposeId,
  record: recordOfRow(row),
  position: row.position === null ? null : Number(row.position),
  erasedAt: row.erased_at,
  ...(row.current_version === undefined
    ? {}
    : { purposeHead: row.current_version === null ? null : { currentVersion: row.current_version, retiredAt: row.retired_at ?? null } }),
});

/** The purpose head columns the checks join (purposes is a few hundred rows: one index probe). */
const PURPOSE_HEAD = `p.current_version, ${isoInstant('p.retired_at')} AS retired_at`;

/** What a bulk check reads for one purpose, of the subjects it asks about. */
export interface PurposeSlice {
  /** The purpose's head as committed; null: no such purpose. */
  purposeHead: PurposeHead | null;
  /** By subject id, the subjects that have a decision for the purpose: what the allowed-policy reads of it. */
  records: Map<string, DecidingRecord>;
  /** By subject id, the erasure instant of the erased ones. */
  erasedAt: Map<string, string>;
}

interface PurposeSliceRow {
  current_version: number | null;
  retired_at: string | null;
  /** The decided subjects' columns, aligned; null when none. */
  subject_ids: string[] | null;
  statuses: ConsentStatus[] | null;
  purpose_versions: number[] | null;
  /** null: never expires. */
  expires_at_ms: (number | null)[] | null;
  /** [subject_id, erased_at] per erased subject; null when none. */
  erased: [string, string][] | null;
}

/**
 * The bulk check's read, exported so that the bench can EXPLAIN the very statement the service runs.
 * One round trip and one row: the purpose's head, the decided subjects' columns as JSON arrays
 * (aggregated in one pass, so aligned), and their erasures. V8's JSON.parse reads these for a fraction
 * of what pg's parsing of 10,000 rows costs, and a JSON array per column, not per row, is cheaper for
 * Postgres to build. Each lookup is one index scan over the whole id array (Postgres 17+ advances
 * array keys within a scan rather than descending once per id):
 * - the ids travel sorted, so Postgres's own sort of the array keys finds them already in order;
 * - records by consent_state_by_purpose, whose subject ids sort bytewise (COLLATE "C") as JavaScript
 *   sorts them, whatever the database's collation; a purpose's entries are contiguous there, so the
 *   scan walks the leaves instead of descending thousands of times, and the collation keeps the
 *   primary key out of the plan;
 * - the array sits behind a sub-select, which hides its 10,000 elements from the planner: costed by
 *   them, it chose a parallel seq scan of the table, after milliseconds spent estimating each
 *   element's selectivity, in every custom plan of the named statement;
 * - erasure is read for every id asked, by the erased streams' partial index: under legitimate
 *   interest, an erased subject with no decision is denied where another is allowed.
 */
export const stateForPurposeQuery = (purposeId: string, subjectIds: readonly string[]) => ({
  name: 'consent-ledger.state-for-purpose',
  text: `SELECT p.current_version, ${isoInstant('p.retired_at')} AS retired_at,
      r.subject_ids, r.statuses, r.purpose_versions, r.expires_at_ms, e.erased
    FROM (SELECT) AS one
    LEFT JOIN purposes p ON p.purpose_id = $1
    CROSS JOIN (
      SELECT json_agg(cs.subject_id) AS subject_ids, json_agg(cs.status) AS statuses,
             json_agg(cs.purpose_version) AS purpose_versions, json_agg(${epochMs('cs.expires_at')}) AS expires_at_ms
      FROM consent_state cs
      WHERE cs.purpose_id = $1 AND cs.subject_id COLLATE "C" = ANY ((SELECT $2::text[])::text[])) AS r
    CROSS JOIN (
      SELECT json_agg(json_build_array(substr(st.stream_id, length($3) + 1), ${isoInstant('st.erased_at')})) AS erased
      FROM streams st
      WHERE st.erased_at IS NOT NULL AND st.stream_id = ANY (ARRAY(SELECT $3 || id FROM unnest($2::text[]) AS id))) AS e`,
  values: [purposeId, [...subjectIds].sort(), subjectStreamId('')],
});

const stateOfRows = (subjectId: string, rows: ConsentStateRow[]): SubjectState => {
  const consents: Record<string, ConsentRecord> = {};
  for (const row of rows) {
    const record = recordOfRow(row);
    if (record) consents[record.purpose] = record;
  }
  return { subjectId, version: rows[0]?.version ?? 0, erasedAt: rows[0]?.erased_at ?? null, consents };
};

/**
 * All SQL of consent_state (and of the subject's erasure on its stream head), the projection of
 * each subject's state as the domain's fold (evolveSubject) computes it. The table is a snapshot
 * written by the append that changes it: no rule of the domain is repeated here.
 */
export class ConsentStateGateway {
  constructor(private readonly dataSource: DataSource) {}

  /** The hot reads use pg directly, for named (prepared) statements. */
  private pool(): Pool {
    return pgPoolOf(this.dataSource);
  }

  /** The subject's current state. */
  async subject(subjectId: string): Promise<SubjectState> {
    const { rows } = await this.pool().query<ConsentStateRow>(
      `SELECT $1::text AS subject_id, st.version, ${COLUMNS}
       FROM (SELECT 1) AS one
       LEFT JOIN streams st ON st.stream_id = $2
       LEFT JOIN consent_state cs ON cs.subject_id = $1`,
      [subjectId, subjectStreamId(subjectId)],
    );
    return stateOfRows(subjectId, rows);
  }

  /**
   * Several subjects' states with their stream heads, in the order asked: the write path's read
   * (SubjectStreams), for the appends that arrive together. One statement, so each subject's state and
   * head come from one snapshot.
   */
  async subjectsWithHeads(subjectIds: readonly string[]): Promise<SubjectWithHead[]> {
    const { rows } = await this.pool().query<ConsentStateRow & { i: string }>({
      name: 'consent-ledger.subjects-with-heads',
      text: `SELECT q.i, q.subject_id, st.version, st.head_hash, st.data_key, ${COLUMNS}
        FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(subject_id, stream_id, i)
        LEFT JOIN streams st ON st.stream_id = q.stream_id
        LEFT JOIN consent_state cs ON cs.subject_id = q.subject_id`,
      values: [subjectIds, subjectIds.map(subjectStreamId)],
    });
    const bySubject: ConsentStateRow[][] = subjectIds.map(() => []);
    for (const row of rows) bySubject[Number(row.i) - 1].push(row);
    return bySubject.map((subjectRows, index) => ({
      state: stateOfRows(subjectIds[index], subjectRows),
      head: { version: subjectRows[0]?.version ?? 0, headHash: subjectRows[0]?.head_hash ?? null, dataKey: subjectRows[0]?.data_key ?? null },
    }));
  }

  /**
   * The records that changed between two states of one subject: what the append writes to
   * consent_state, each row with the global position of the appended event with the record's stream
   * version (append_subject_batch, the one write of this table besides a rebuild). The domain decided
   * which record stands, so the write replaces unconditionally.
   */
  static changedRecords(before: SubjectState, after: SubjectState): ConsentRecord[] {
    return Object.values(after.consents).filter((record) => before.consents[record.purpose] !== record);
  }

  /** Many (subject, purpose) pairs in one round trip, in the order asked; the single check's read. */
  async pairs(pairs: readonly { subjectId: string; purposeId: string }[]): Promise<PairState[]> {
    const { rows } = await this.pool().query<ConsentStateRow & { i: string }>({
      // Named, so each pooled connection plans it once (planning cost more than running it).
      name: 'consent-ledger.state-pairs',
      text: `SELECT q.i, q.subject_id, NULL::int AS version, ${COLUMNS}, ${PURPOSE_HEAD}
        FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS q(subject_id, purpose_id, stream_id, i)
        LEFT JOIN consent_state cs ON cs.subject_id = q.subject_id AND cs.purpose_id = q.purpose_id
        LEFT JOIN streams st ON st.stream_id = q.stream_id AND st.erased_at IS NOT NULL
        LEFT JOIN purposes p ON p.purpose_id = q.purpose_id`,
      values: [pairs.map((p) => p.subjectId), pairs.map((p) => p.purposeId), pairs.map((p) => subjectStreamId(p.subjectId))],
    });
    const answers: PairState[] = new Array(pairs.length);
    for (const row of rows) {
      const index = Number(row.i) - 1;
      answers[index] = pairOfRow(row, pairs[index].purposeId);
    }
    return answers;
  }

  /** One purpose for many subjects (a bulk check); each subject once. */
  async forPurpose(purposeId: string, subjectIds: readonly string[]): Promise<PurposeSlice> {
    const { rows: [row] } = await this.pool().query<PurposeSliceRow>(stateForPurposeQuery(purposeId, subjectIds));
    const records = new Map<string, DecidingRecord>();
    const { subject_ids: ids, statuses, purpose_versions: versions, expires_at_ms: expiries } = row;
    if (ids && statuses && versions && expiries) {
      for (let i = 0; i < ids.length; i++) {
        records.set(ids[i], { status: statuses[i], purposeVersion: versions[i], expiresAtMs: expiries[i] ?? Infinity });
      }
    }
    return {
      purposeHead: row.current_version === null ? null : { currentVersion: row.current_version, retiredAt: row.retired_at },
      records,
      erasedAt: new Map(row.erased ?? []),
    };
  }

  /** The current entries of the given pairs that have a decision (the relay's state messages). */
  async decided(pairs: readonly { subjectId: string; purposeId: string }[]): Promise<PairState[]> {
    const { rows } = await this.pool().query<ConsentStateRow>(
      `SELECT cs.subject_id, NULL::int AS version, ${COLUMNS}
       FROM unnest($1::text[], $2::text[], $3::text[]) AS k(subject_id, purpose_id, stream_id)
       JOIN consent_state cs USING (subject_id, purpose_id)
       LEFT JOIN streams st ON st.stream_id = k.stream_id`,
      [pairs.map((p) => p.subjectId), pairs.map((p) => p.purposeId), pairs.map((p) => subjectStreamId(p.subjectId))],
    );
    return rows.map((row) => pairOfRow(row, row.purpose_id as string));
  }

  /** Every decided pair of the given subjects (the relay tombstones them when a subject is erased). */
  async decidedOfSubjects(subjectIds: readonly string[]): Promise<PairState[]> {
    const { rows } = await this.pool().query<ConsentStateRow>(
      `SELECT cs.subject_id, NULL::int AS version, ${COLUMNS}
       FROM consent_state cs LEFT JOIN streams st ON st.stream_id = $2 || cs.subject_id
       WHERE cs.subject_id = ANY($1::text[])`,
      [subjectIds, subjectStreamId('')],
    );
    return rows.map((row) => pairOfRow(row, row.purpose_id as string));
  }

  /** One page of a purpose's decided pairs, by subject id after `afterSubject`. */
  async pageOfPurpose(purposeId: string, afterSubject: string, limit: number): Promise<PairState[]> {
    const { rows } = await this.pool().query<ConsentStateRow>(
      `SELECT cs.subject_id, NULL::int AS version, ${COLUMNS}
       FROM consent_state cs LEFT JOIN streams st ON st.stream_id = $4 || cs.subject_id
       WHERE cs.purpose_id = $1 AND cs.subject_id > $2
       ORDER BY cs.subject_id LIMIT $3`,
      [purposeId, afterSubject, limit, subjectStreamId('')],
    );
    return rows.map((row) => pairOfRow(row, purposeId));
  }

  /**
   * Pairs whose grant is due to expire at `now`: the SQL form of the domain's isExpiryDue (property-tested
   * against it), so the scheduler finds them by index instead of folding every subject.
   */
  async dueForExpiry(now: Date, limit: number): Promise<{ subjectId: string; purposeId: string }[]> {
    const { rows } = await this.pool().query<{ subject_id: string; purpose_id: string }>(
      `SELECT subject_id, purpose_id FROM consent_state
       WHERE status = 'granted' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => ({ subjectId: row.subject_id, purposeId: row.purpose_id }));
  }

  /** Empties the projection, taking its ACCESS EXCLUSIVE lock (see ProjectionRebuilder). */
  async truncate(client: ClientBase): Promise<void> {
    await client.query(`TRUNCATE consent_state`);
  }

  /**
   * Opens a COPY of folded records into the table `truncate` emptied, on the same connection and in
   * the same transaction. Loading the emptied table keeps its indexes, grants and OID: named
   * statements prepared on other connections (the checks') stay valid, unlike with a table swapped in.
   * It was also the fastest measured for 600,000 rows: 2.8-4 s, against 4.8 s through a temporary
   * staging table and INSERT … SELECT; dropping the indexes to build them after the load gained nothing
   * end to end.
   */
  copyFolded(client: ClientBase): FoldedStateCopy {
    return new FoldedStateCopy(client.query(copyFrom(`COPY consent_state (${WRITTEN}) FROM STDIN`)));
  }

  /** Writes the subjects' erasures, folded from the log, onto their stream heads. */
  async restoreErasures(client: ClientBase, erased: ReadonlyMap<string, string>): Promise<void> {
    if (erased.size === 0) return;
    await client.query(
      `UPDATE streams SET erased_at = e.erased_at
       FROM unnest($1::text[], $2::timestamptz[]) AS e(stream_id, erased_at) WHERE streams.stream_id = e.stream_id`,
      [[...erased.keys()].map(subjectStreamId), [...erased.values()]],
    );
  }
}

/** Characters of rows gathered before they are handed to the COPY stream. */
const COPY_BLOCK_CHARS = 64 * 1024;

/**
 * A COPY of folded records into consent_state, open on the rebuild's connection until `end`. The
 * caller awaits `drained` between its reads, so a server behind on the COPY slows the reading
 * instead of rows piling up in Node.
 */
export class FoldedStateCopy {
  private block = '';
  private failure: Error | undefined;

  constructor(private readonly stream: CopyStreamQuery) {
    // Kept for the next call to throw: an 'error' event with no listener would end the process.
    stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  /** Adds records (a COPY text row each, columns as in WRITTEN). */
  write(records: readonly SnapshotRecord[]): void {
    for (const { subjectId, record, position } of records) {
      this.block += `${copyField(subjectId)}\t${copyField(record.purpose)}\t${copyField(record.status)}\t${copyField(record.purposeVersion)}\t` +
        `${copyField(record.since)}\t${copyField(record.expiresAt)}\t${copyField(record.streamVersion)}\t${copyField(position)}\n`;
    }
    if (this.block.length >= COPY_BLOCK_CHARS) this.send();
  }

  /** Resolves once the stream takes more, at once unless the server is behind; throws the COPY's failure. */
  async drained(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  /** Ends the COPY; resolves when the server has stored every row. */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    this.send();
    this.stream.end();
    await finished(this.stream);
  }

  private send(): void {
    if (this.block.length === 0) return;
    this.stream.write(this.block);
    this.block = '';
  }
}

function recordColumns(records: readonly ConsentRecord[]): unknown[][] {
  return [
    records.map((r) => r.purpose),
    records.map((r) => r.status),
    records.map((r) => r.purposeVersion),
    records.map((r) => r.since),
    records.map((r) => r.expiresAt),
    records.map((r) => r.streamVersion),
  ];
}
