/**
 * Reads that travel with BEGIN and the stream lock in one round trip, and run once the lock is
 * held. They go over the simple query protocol, so each statement has its values inlined (pg's
 * escapeLiteral) rather than parameters; `parse` gets each statement's rows, in order.
 */
export interface ReadUnderLock<R> {
  statements: string[];
  parse(results: unknown[][]): R;
}
