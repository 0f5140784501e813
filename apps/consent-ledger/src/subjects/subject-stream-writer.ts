import { Injectable } from '@nestjs/common';
import { SubjectCommand, decideSubject, isDomainError, subjectStreamId } from '@consent-ledger/domain';
import {
  ConsentProjection, EventStore, PersonalProof, SqlSession, StoredEvent, newEventId, subjectStateUnderLock,
} from '@consent-ledger/ledger-store';
import { DomainRuleViolation } from '../http/domain-rule-violation';
import { ledgerMetrics, timed } from '../metrics/ledger-metrics';
import { activeTraceParent } from '../tracing/trace-context';
import { PurposeCatalog } from '../purposes/purpose-catalog';

export interface SubjectWrite {
  command: SubjectCommand;
  /** Non-personal context kept with every event: hashed and published. */
  metadata: Record<string, unknown>;
  personal?: PersonalProof;
  expectedVersion?: number;
  /** More work in the same transaction, after the append (e.g. saving the idempotent response). */
  alsoInTransaction?: (query: SqlSession, appended: StoredEvent[], streamVersion: number) => Promise<void>;
}

export interface SubjectWriteResult {
  appended: StoredEvent[];
  streamVersion: number;
}

/**
 * The write path of a subject stream: lock it, read its state from the projection, decide, append,
 * and update the projection, all in one transaction.
 */
@Injectable()
export class SubjectStreamWriter {
  constructor(
    private readonly store: EventStore,
    private readonly projection: ConsentProjection,
    private readonly catalog: PurposeCatalog,
  ) {}

  async write({ command, metadata, personal, expectedVersion, alsoInTransaction }: SubjectWrite): Promise<SubjectWriteResult> {
    const named = purposesNamed(command);
    // A purpose published through another instance may be newer than this catalog.
    if ([...named].some((id) => !this.catalog.get(id))) await this.catalog.refresh();

    // The subject's state is read with the lock, and the projection written with the events: with
    // BEGIN and COMMIT, three round trips to Postgres in all.
    return timed(ledgerMetrics.append, () => this.store.withStream(subjectStreamId(command.subjectId), expectedVersion, async (stream, { state }) => {
      const decision = decideSubject(command, { subject: state, purposes: this.catalog.pick(named) }, new Date());
      if (isDomainError(decision)) throw new DomainRuleViolation(decision);
      const appended = await stream.append(decision.map((event) => ({
        eventId: newEventId(),
        type: event.type,
        data: { ...event },
        metadata,
        occurredAt: event.occurredAt,
        ...(personal ? { personal } : {}),
        traceParent: activeTraceParent(),
      })), (pending) => this.projection.companion(pending));
      await alsoInTransaction?.(stream.query, appended, stream.head.version);
      return { appended, streamVersion: stream.head.version };
    }, subjectStateUnderLock(command.subjectId)));
  }
}

/** The purposes a decision about `command` depends on. */
function purposesNamed(command: SubjectCommand): Set<string> {
  switch (command.type) {
    case 'RecordChoices':
      return new Set(command.choices.map((choice) => choice.purpose));
    case 'ExpireConsent':
      return new Set([command.purpose]);
    case 'EraseSubject':
      return new Set();
    default: {
      const unknown: never = command;
      throw new Error(`unknown subject command ${(unknown as SubjectCommand).type}`);
    }
  }
}
