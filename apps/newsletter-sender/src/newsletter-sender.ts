import { ConsentClient } from '@consent-ledger/consent-client';

export interface RoundResult {
  sent: string[];
  skipped: string[];
}

/** The pino methods a round writes to. */
export interface SendLog {
  info(bindings: object, message: string): void;
}

/**
 * One mailing per round to the subjects whose consent the local cache allows at that moment: asking
 * again each round is what drops a subject whose withdrawal arrived since the last one.
 */
export class NewsletterSender {
  private rounds = 0;

  constructor(
    private readonly consents: Pick<ConsentClient, 'isAllowed'>,
    private readonly subjects: readonly string[],
    private readonly purpose: string,
    private readonly log: SendLog,
  ) {}

  sendRound(): RoundResult {
    const round = ++this.rounds;
    const result: RoundResult = { sent: [], skipped: [] };
    for (const subjectId of this.subjects) {
      if (this.consents.isAllowed(subjectId, this.purpose)) {
        // Sending stands for the real mail delivery, out of scope for this sample.
        result.sent.push(subjectId);
        this.log.info({ round, subjectId, purpose: this.purpose }, 'newsletter sent');
      } else {
        result.skipped.push(subjectId);
        this.log.info({ round, subjectId, purpose: this.purpose }, 'newsletter skipped: not allowed');
      }
    }
    return result;
  }
}
