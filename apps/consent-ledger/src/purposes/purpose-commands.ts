import { PublishPurpose, Purpose, RetirePurpose } from '@consent-ledger/domain';

/** Envelopes for the CommandBus, which dispatches by class; the command itself stays a plain object. */
export class PublishPurposeMessage {
  constructor(readonly command: PublishPurpose) {}
}

export class RetirePurposeMessage {
  constructor(readonly command: RetirePurpose) {}
}

export interface PurposeCommandResult {
  /** True when this command created the purpose (its first version). */
  created: boolean;
  purpose: Purpose;
}
