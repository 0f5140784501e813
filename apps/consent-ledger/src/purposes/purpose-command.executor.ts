import { Injectable } from '@nestjs/common';
import {
  PurposeCommand, decidePurpose, evolvePurpose, foldPurpose, isDomainError, purposeStreamId,
} from '@consent-ledger/domain';
import { EventStore, PurposeReadModel, decodePurposeEvent, encodeEvent, newEventId } from '@consent-ledger/ledger-store';
import { DomainRuleViolation } from '../http/domain-rule-violation';
import { PurposeCommandResult } from './purpose-commands';
import { PurposeCatalog } from './purpose-catalog';

/** Loads the purpose stream under its lock, decides, appends, and updates the read model in one transaction. */
@Injectable()
export class PurposeCommandExecutor {
  constructor(
    private readonly store: EventStore,
    private readonly readModel: PurposeReadModel,
    private readonly catalog: PurposeCatalog,
  ) {}

  async execute(command: PurposeCommand): Promise<PurposeCommandResult> {
    const result = await this.store.withStream(purposeStreamId(command.purposeId), undefined, async (stream) => {
      const history = await stream.events();
      const state = foldPurpose(history.map(decodePurposeEvent));
      const decision = decidePurpose(command, state, new Date());
      if (isDomainError(decision)) throw new DomainRuleViolation(decision);
      await stream.append(decision.map((event) => ({ eventId: newEventId(), ...encodeEvent(event), metadata: {} })));
      await this.readModel.apply(stream.query, decision);
      const purpose = decision.reduce(evolvePurpose, state);
      if (purpose === null) throw new Error(`purpose ${command.purposeId} has no version`);
      return { created: state === null, purpose, changed: decision.length > 0 };
    });
    if (result.changed) await this.catalog.refresh();
    return { created: result.created, purpose: result.purpose };
  }
}
