import { EventStore } from '@consent-ledger/ledger-store';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProblemException } from '../http/problem';

/** The header a 201 carries its token in, and a read may send it back in. */
export const CONSENT_TOKEN_HEADER = 'consent-token';

/** A token is a global position: a positive integer that JavaScript numbers hold exactly. */
const TOKEN_PATTERN = /^[1-9][0-9]{0,15}$/;

/**
 * How long a read waits for its token's event to become visible before answering 503. A token is
 * only ever given once its transaction committed, so on one database it is visible at once; the wait
 * covers a replica that has not replayed it yet.
 */
const MAX_WAIT_MS = 2_000;
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 200;

/**
 * The position a read must be at least as fresh as: `minPosition` in the query or the Consent-Token
 * header (the larger when both are sent). Undefined when neither is. A malformed one is a 400.
 */
export function minPositionOf(query: string | undefined, header: string | undefined): number | undefined {
  const positions = [parseToken('minPosition', query), parseToken('Consent-Token', header)].filter((p): p is number => p !== undefined);
  return positions.length === 0 ? undefined : Math.max(...positions);
}

function parseToken(field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (!TOKEN_PATTERN.test(text) || !Number.isSafeInteger(Number(text))) {
    throw ProblemException.of(400, 'validation_failed', `${field} must be a consistency token (an event position) from a 201`, [
      { field, message: 'expected a positive integer' },
    ]);
  }
  return Number(text);
}

/**
 * Read-your-writes across instances: every read of the ledger goes to Postgres, and the projection
 * is written in the transaction that appends the events, so state is as fresh as a token once the
 * token's event is committed and visible. This waits (briefly, bounded) until it is.
 */
export class ConsistencyGate {
  constructor(private readonly store: EventStore) {}

  async awaitVisible(position: number | undefined): Promise<void> {
    if (position === undefined) return;
    let waited = 0;
    for (let pause = FIRST_POLL_MS; ; pause = Math.min(pause * 2, MAX_POLL_MS)) {
      if (await this.store.isVisible(position)) return;
      if (waited >= MAX_WAIT_MS) break;
      await sleep(pause);
      waited += pause;
    }
    throw ProblemException.of(503, 'consent_token_not_visible', `the state is not yet as fresh as position ${position}; retry shortly`);
  }
}
