import { Injectable } from '@nestjs/common';
import { SubjectCommand, decideSubject, isDomainError } from '@consent-ledger/domain';
import { PersonalProof, SqlSession, StoredEvent, SubjectHandleResult, SubjectStreams } from '@consent-ledger/ledger-store';
import { DomainRuleViolation } from '../http/domain-rule-violation';
import { ledgerMetrics, timed } from '../metrics/ledger-metrics';
import { activeTraceParent } from '../tracing/trace-context';

export interface SubjectWrite {
  command: SubjectCommand;
  /** Non-personal context kept with every event: hashed and published. */
  metadata: Record<string, unknown>;
  personal?: PersonalProof;
  expectedVersion?: number;
  /** More work in the same transaction, after the append (e.g. saving the idempotent response). */
  alsoInTransaction?: (query: SqlSession, appended: StoredEvent[], streamVersion: number) => Promise<void>;
}

export type SubjectWriteResult = SubjectHandleResult;

/**
 * A subject command through the write path: the domain's decideSubject on the subject's state and
 * the purposes it names, both read as committed under the subject's stream lock (SubjectStreams).
 */
@Injectable()
export class SubjectStreamWriter {
  constructor(private readonly streams: SubjectStreams) {}

  write({ command, metadata, personal, expectedVersion, alsoInTransaction }: SubjectWrite): Promise<SubjectWriteResult> {
    return timed(ledgerMetrics.append, () => this.streams.handle(
      command.subjectId,
      (state) => {
        const decision = decideSubject(command, state, new Date());
        if (isDomainError(decision)) throw new DomainRuleViolation(decision);
        return decision;
      },
      { expectedVersion, purposeIds: purposesNamed(command), metadata, personal, traceParent: activeTraceParent(), alsoInTransaction },
    ));
  }
}

/** The purposes a decision about `command` depends on. */
function purposesNamed(command: SubjectCommand): Set<string> {
  switch (command.type) {
    case 'RecordChoices':
      return new Set(command.choices.map((choice) => choice.purpose));
    case 'ExpireConsent':
    case 'EraseSubject':
      return new Set();
    default: {
      const unknown: never = command;
      throw new Error(`unknown subject command ${(unknown as SubjectCommand).type}`);
    }
  }
}
