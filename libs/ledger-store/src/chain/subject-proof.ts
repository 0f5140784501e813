import { DecisionReason, LegalBasis, LocalizedText } from '@consent-ledger/domain';
import { ProofEvent } from './proof-event';

/** GET /v1/subjects/{subjectId}/proof: everything an auditor needs to check a decision offline. */
export interface SubjectProof {
  subjectId: string;
  purpose: string;
  at: string;
  decision: { allowed: boolean; status: string; legalBasis: LegalBasis; reason: DecisionReason };
  /** The version the decision rests on: the one the subject decided on, else the one in force at `at`. */
  purposeVersion: {
    version: number;
    title: LocalizedText;
    description: LocalizedText;
    legalBasis: LegalBasis;
    validityDays: number | null;
    publishedAt: string;
  };
  /** The purpose's whole stream (its texts), then the subject's whole stream: both contiguous from their first event, so every chain link is checked. */
  events: (ProofEvent & {
    /**
     * The services that acknowledged enforcing the event (closed-loop enforcement). The services' word,
     * not the ledger's record: no hash covers it, and a verifier leaves it aside.
     */
    enforcements?: { service: string; enforcedAt: string; latencyMs: number }[];
  })[];
  /** The latest signed checkpoint (c2sp.org/tlog-checkpoint note). */
  checkpoint: string;
  /** One per event already sealed under that checkpoint; a newer event gets its own at the next checkpoint. */
  inclusion: { eventId: string; leafIndex: number; tlogProof: string }[];
}
