/**
 * A concurrent request with the same Idempotency-Key committed first, so this one wrote nothing:
 * its caller answers with the winner's saved response.
 */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('the Idempotency-Key was taken by a concurrent request');
    this.name = 'IdempotencyKeyTaken';
  }
}
