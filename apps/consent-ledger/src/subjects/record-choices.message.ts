import { RecordChoices } from '@consent-ledger/domain';
import { PersonalProof } from '@consent-ledger/ledger-store';

/** Context of a banner submit that the ledger keeps beside the choices. */
export interface ChoiceContext {
  source: { channel: string; collectionPoint?: string; policyVersion?: string };
  /** Non-personal proof: hashed and published. */
  proof: { method?: string; gpc?: boolean };
  /** Personal proof: encrypted at rest, never published. */
  personal: PersonalProof | undefined;
  actor: string;
}

export interface IdempotencyRequest {
  scope: string;
  key: string;
  requestHash: string;
}

export class RecordChoicesMessage {
  constructor(
    readonly command: RecordChoices,
    readonly context: ChoiceContext,
    readonly expectedVersion: number | undefined,
    readonly idempotency: IdempotencyRequest | undefined,
  ) {}
}

export interface RecordedEventView {
  eventId: string;
  position: number;
  streamVersion: number;
  type: string;
  purpose: string;
  purposeVersion: number;
  occurredAt: string;
  recordedAt: string;
  hash: string;
  /** When a grant or refusal lapses, as the domain computed it (null: never, or another event type). */
  expiresAt: string | null;
}

export interface RecordChoicesResponse {
  subjectId: string;
  streamVersion: number;
  events: RecordedEventView[];
}
