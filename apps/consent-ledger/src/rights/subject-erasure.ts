import { Injectable } from '@nestjs/common';
import { SubjectErased } from '@consent-ledger/domain';
import { EventStore, StoredEvent, decodeSubjectEvent } from '@consent-ledger/ledger-store';
import { SubjectStreamWriter } from '../subjects/subject-stream-writer';
import { KeyTableVacuum } from './key-table-vacuum';
import { rightsMetrics } from './rights-metrics';
import { subjectEventPages } from './subject-event-pages';

/** What an erasure answers, the first time and on every repeat. */
export interface ErasureView {
  subjectId: string;
  erasedAt: string;
  reason: string | null;
  eventId: string;
  position: number;
  streamVersion: number;
  hash: string;
}

export interface ErasureOutcome {
  /** False when the subject was already erased: nothing was appended or destroyed this time. */
  erasedNow: boolean;
  erasure: ErasureView;
}

export interface ErasureRequest {
  subjectId: string;
  reason?: string;
  /** The API key id, or the system component, that asked. */
  actor: string;
  /** Optimistic concurrency: erase only if the stream is still at this version (the retention sweep's guard). */
  expectedVersion?: number;
  /**
   * 'after each' (default): the answer waits for the key table's VACUUM. A sweep erasing many subjects
   * passes 'by caller' and VACUUMs once at its end.
   */
  vacuum?: 'after each' | 'by caller';
}

/**
 * Crypto-shredding: SubjectErased is appended through the subject write path (the domain's EraseSubject)
 * and that append destroys the stream's data key in its own transaction (append_subject_batch). The chain
 * keeps only salted digests of the personal fields, so it stays verifiable; their ciphertexts stay and
 * can no longer be opened. The key table is VACUUMed once the transaction committed.
 */
@Injectable()
export class SubjectErasure {
  constructor(
    private readonly writer: SubjectStreamWriter,
    private readonly store: EventStore,
    private readonly keyTable: KeyTableVacuum,
  ) {}

  async erase({ subjectId, reason, actor, expectedVersion, vacuum = 'after each' }: ErasureRequest): Promise<ErasureOutcome> {
    const { appended, streamVersion } = await this.writer.write({
      command: { type: 'EraseSubject', subjectId, ...(reason === undefined ? {} : { reason }) },
      metadata: { source: { channel: 'system', collectionPoint: reason === 'retention' ? 'retention-sweep' : 'erasure' }, actor },
      expectedVersion,
    });
    const erasure = appended.find(isErasure);
    if (erasure) {
      rightsMetrics.erasures.inc({ reason: reason ?? 'request' });
      if (vacuum === 'after each') await this.keyTable.request();
      return { erasedNow: true, erasure: viewOf(erasure) };
    }
    // Already erased (the domain decided nothing): answer the first erasure. Its key is gone, so the
    // pages read cost no decryption.
    for await (const page of subjectEventPages(this.store, subjectId, streamVersion)) {
      const first = page.find(isErasure);
      if (first) return { erasedNow: false, erasure: viewOf(first) };
    }
    throw new Error(`subject ${subjectId} is erased but its stream holds no SubjectErased event`);
  }
}

const isErasure = (event: StoredEvent): boolean => event.type === 'SubjectErased';

function viewOf(event: StoredEvent): ErasureView {
  const data = decodeSubjectEvent(event) as SubjectErased;
  return {
    subjectId: data.subjectId,
    erasedAt: event.occurredAt,
    reason: data.reason ?? null,
    eventId: event.eventId,
    position: event.position,
    streamVersion: event.streamVersion,
    hash: event.hash,
  };
}
