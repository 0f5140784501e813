import { Injectable } from '@nestjs/common';
import { SubjectCommand, decideSubject, isDomainError } from '@consent-ledger/domain';
import { PersonalProof, SubjectHandleOptions, SubjectHandleResult, SubjectStreams } from '@consent-ledger/ledger-store';
import { DomainRuleViolation } from '../http/domain-rule-violation';
import { ledgerMetrics, timed } from '../metrics/ledger-metrics';
import { activeTraceParent } from '../tracing/trace-context';

export interface SubjectWrite {
  command: SubjectCommand;
  /** Non-personal context kept with every event: hashed and published. */
  metadata: Record<string, unknown>;
  personal?: PersonalProof;
  expectedVersion?: number;
  /** The response to save under an Idempotency-Key, atomically with the append. */
  idempotency?: SubjectHandleOptions['idempotency'];
}

export type SubjectWriteResult = SubjectHandleResult;

/**
 * A subject command through the write path: the domain's decideSubject on the subject's state and
 * the purposes it names, appended only if both are still as read (SubjectStreams).
 */
@Injectable()
export class SubjectStreamWriter {
  constructor(private readonly streams: SubjectStreams) {}

  write({ command, metadata, personal, expectedVersion, idempotency }: SubjectWrite): Promise<SubjectWriteResult> {
    return timed(ledgerMetrics.append, () => this.streams.handle(
      command.subjectId,
      (state) => {
        const decision = decideSubject(command, state, new Date());
        if (isDomainError(decision)) throw new DomainRuleViolation(decision);
        return decision;
      },
      { expectedVersion, purposeIds: purposesNamed(command), metadata, personal, traceParent: activeTraceParent(), idempotency },
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
