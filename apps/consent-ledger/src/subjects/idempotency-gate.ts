import { Injectable } from '@nestjs/common';
import { IdempotencyKeyTaken, IdempotencyStore } from '@consent-ledger/ledger-store';
import { ProblemException } from '../http/problem';
import { IdempotencyRequest } from './record-choices.message';

/**
 * Idempotency-Key semantics: a replay returns the first response and appends nothing; the same
 * key with another body is refused. The response is saved atomically with the work's append, so two
 * concurrent requests with one key cannot both append: the loser writes nothing and replays.
 */
@Injectable()
export class IdempotencyGate {
  constructor(private readonly store: IdempotencyStore) {}

  async run<T>(request: IdempotencyRequest | undefined, work: () => Promise<T>): Promise<T> {
    if (!request) return work();
    const earlier = await this.replay<T>(request);
    if (earlier !== undefined) return earlier;
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof IdempotencyKeyTaken)) throw error;
      const winner = await this.replay<T>(request);
      if (winner === undefined) throw error;
      return winner;
    }
  }

  private async replay<T>(request: IdempotencyRequest): Promise<T | undefined> {
    const stored = await this.store.find(request.scope, request.key);
    if (!stored) return undefined;
    if (stored.requestHash !== request.requestHash) {
      throw ProblemException.of(422, 'idempotency_key_reused', 'this Idempotency-Key was already used with a different request');
    }
    return stored.body as T;
  }
}
