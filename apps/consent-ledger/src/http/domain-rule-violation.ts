import { DomainError } from '@consent-ledger/domain';

/** Carries a domain error out of a command handler to the problem filter. */
export class DomainRuleViolation extends Error {
  constructor(readonly error: DomainError) {
    super(error.message);
    this.name = 'DomainRuleViolation';
  }
}
