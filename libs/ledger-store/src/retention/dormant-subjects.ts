import { subjectStreamId } from '@consent-ledger/domain';
import { DataSource } from 'typeorm';

export interface DormantSubject {
  subjectId: string;
  /** The stream version seen: the sweep erases only if no event arrived since. */
  streamVersion: number;
}

const SUBJECT_PREFIX = subjectStreamId('');

/**
 * Subjects whose personal proof fields are still readable (a data key, not erased) and whose last event
 * was recorded before `cutoff`. The last event is found through the stream head and the unique
 * (stream_id, stream_version) index, one probe per stream, not by scanning the log.
 */
export class DormantSubjects {
  constructor(private readonly dataSource: DataSource) {}

  async page(cutoff: Date, afterSubjectId: string, limit: number): Promise<DormantSubject[]> {
    const rows: { stream_id: string; version: number }[] = await this.dataSource.query(
      `SELECT s.stream_id, s.version
       FROM streams s JOIN events e ON e.stream_id = s.stream_id AND e.stream_version = s.version
       WHERE s.stream_id LIKE $1 AND s.stream_id > $2 AND s.erased_at IS NULL AND s.data_key IS NOT NULL
         AND e.recorded_at < $3
       ORDER BY s.stream_id LIMIT $4`,
      [`${SUBJECT_PREFIX}%`, subjectStreamId(afterSubjectId), cutoff, limit],
    );
    return rows.map((row) => ({ subjectId: row.stream_id.slice(SUBJECT_PREFIX.length), streamVersion: row.version }));
  }
}
