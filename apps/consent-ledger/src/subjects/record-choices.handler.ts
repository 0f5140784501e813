import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StoredEvent, decodeSubjectEvent } from '@consent-ledger/ledger-store';
import { IdempotencyGate } from './idempotency-gate';
import { RecordChoicesMessage, RecordChoicesResponse } from './record-choices.message';
import { SubjectStreamWriter } from './subject-stream-writer';

/** One banner submit, atomically; the idempotent response is saved in the same transaction. */
@CommandHandler(RecordChoicesMessage)
export class RecordChoicesHandler implements ICommandHandler<RecordChoicesMessage, RecordChoicesResponse> {
  constructor(
    private readonly writer: SubjectStreamWriter,
    private readonly gate: IdempotencyGate,
  ) {}

  execute(message: RecordChoicesMessage): Promise<RecordChoicesResponse> {
    return this.gate.run(message.idempotency, () => this.record(message));
  }

  private async record({ command, context, expectedVersion, idempotency }: RecordChoicesMessage): Promise<RecordChoicesResponse> {
    const { appended, streamVersion } = await this.writer.write({
      command,
      metadata: { source: context.source, proof: context.proof, actor: context.actor },
      personal: context.personal,
      expectedVersion,
      ...(idempotency ? { idempotency: { ...idempotency, response: (events, version) => responseOf(command.subjectId, events, version) } } : {}),
    });
    return responseOf(command.subjectId, appended, streamVersion);
  }
}

const responseOf = (subjectId: string, appended: StoredEvent[], streamVersion: number): RecordChoicesResponse =>
  ({ subjectId, streamVersion, events: appended.map(recordedView) });

function recordedView(event: StoredEvent): RecordChoicesResponse['events'][number] {
  const data = decodeSubjectEvent(event);
  // A banner submit appends choices only; an erasure never comes through here.
  if (data.type === 'SubjectErased') throw new Error('RecordChoices appended SubjectErased');
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
    expiresAt: data.type === 'ConsentGranted' || data.type === 'ConsentRefused' ? data.expiresAt : null,
  };
}
