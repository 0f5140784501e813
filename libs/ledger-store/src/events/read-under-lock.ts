/**
 * A read that travels with BEGIN and the stream lock in one round trip, and runs once the lock is
 * held. It goes over the simple query protocol, so `sql` is one statement with its values inlined
 * (pg's escapeLiteral) rather than parameters.
 */
export interface ReadUnderLock<R> {
  sql: string;
  parse(rows: Record<string, unknown>[]): R;
}
