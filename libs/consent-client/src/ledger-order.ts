import { compareLedgerOrder } from '@consent-ledger/domain';

/**
 * Where a decision stands in the ledger's fold. The ledger folds a subject's events in (occurredAt,
 * stream order), so an event imported late with an old occurredAt never overrides a later decision;
 * within one subject, stream order is position order. consent.state.v1 carries the `since` and
 * `position` of the event that set each entry, so both topics can be placed in this one order.
 */
export interface LedgerOrder {
  /** occurredAt of the deciding event, epoch milliseconds; -Infinity when never decided. */
  sinceMs: number;
  position: number;
}

/**
 * Strictly after, in the domain's own order (compareLedgerOrder). Strict where the ledger's
 * `supersedes` is not: the ledger lets a record replace itself, a subscriber receiving the same place
 * again from the other topic or a redelivery must not count it as news.
 */
export const comesAfter = (a: LedgerOrder, b: LedgerOrder): boolean =>
  compareLedgerOrder({ atMs: a.sinceMs, seq: a.position }, { atMs: b.sinceMs, seq: b.position }) > 0;
