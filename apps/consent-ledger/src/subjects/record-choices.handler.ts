import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PurposeChoiceEvent, decideSubject, isDomainError, subjectStreamId } from '@consent-ledger/domain';
import {
  ConsentProjection, EventStore, IdempotencyStore, StoredEvent, newEventId, readSubjectState,
} from '@consent-ledger/ledger-store';
import { DomainRuleViolation } from '../http/domain-rule-violation';
import { PurposeCatalog } from '../purposes/purpose-catalog';
import { IdempotencyGate } from './idempotency-gate';
import { RecordChoicesMessage, RecordChoicesResponse } from './record-choices.message';

/**
 * One banner submit, atomically: lock the subject's stream, decide, append the events, update the
 * projection and save the idempotent response, all in one transaction.
 */
@CommandHandler(RecordChoicesMessage)
export class RecordChoicesHandler implements ICommandHandler<RecordChoicesMessage, RecordChoicesResponse> {
  constructor(
    private readonly store: EventStore,
    private readonly projection: ConsentProjection,
    private readonly catalog: PurposeCatalog,
    private readonly idempotency: IdempotencyStore,
    private readonly gate: IdempotencyGate,
  ) {}

  execute(message: RecordChoicesMessage): Promise<RecordChoicesResponse> {
    return this.gate.run(message.idempotency, () => this.record(message));
  }

  private async record({ command, context, expectedVersion, idempotency }: RecordChoicesMessage): Promise<RecordChoicesResponse> {
    const named = new Set(command.choices.map((c) => c.purpose));
    // A purpose published through another instance may be newer than this catalog.
    if ([...named].some((id) => !this.catalog.get(id))) await this.catalog.refresh();

    return this.store.withStream(subjectStreamId(command.subjectId), expectedVersion, async (stream) => {
      const { state } = await readSubjectState(stream.query, command.subjectId);
      const decision = decideSubject(command, { subject: state, purposes: this.catalog.pick(named) }, new Date());
      if (isDomainError(decision)) throw new DomainRuleViolation(decision);

      const metadata = { source: context.source, proof: context.proof, actor: context.actor };
      const appended = await stream.append(decision.map((event) => ({
        eventId: newEventId(),
        type: event.type,
        data: { ...event },
        metadata,
        occurredAt: event.occurredAt,
        ...(context.personal ? { personal: context.personal } : {}),
      })));
      await this.projection.apply(stream.query, appended);

      const response: RecordChoicesResponse = {
        subjectId: command.subjectId,
        streamVersion: stream.head.version,
        events: appended.map(recordedView),
      };
      if (idempotency) {
        await this.idempotency.save(stream.query, idempotency.scope, idempotency.key, {
          requestHash: idempotency.requestHash, statusCode: 201, body: response,
        });
      }
      return response;
    });
  }
}

function recordedView(event: StoredEvent): RecordChoicesResponse['events'][number] {
  const data = event.data as unknown as PurposeChoiceEvent;
  return {
    eventId: event.eventId,
    position: event.position,
    streamVersion: event.streamVersion,
    type: event.type,
    purpose: data.purpose,
    purposeVersion: data.purposeVersion,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    hash: event.hash,
  };
}
