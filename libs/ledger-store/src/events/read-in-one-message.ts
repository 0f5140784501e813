/**
 * Reads sent together in one round trip (the simple query protocol, so each statement has its values
 * inlined with pg's escapeLiteral rather than parameters); `parse` gets each statement's rows, in order.
 * Each statement takes its own snapshot.
 */
export interface ReadInOneMessage<R> {
  statements: string[];
  parse(results: unknown[][]): R;
}

/** Two reads in one message, parsed apart. */
export function readBoth<A, B>(a: ReadInOneMessage<A>, b: ReadInOneMessage<B>): ReadInOneMessage<[A, B]> {
  const split = a.statements.length;
  return {
    statements: [...a.statements, ...b.statements],
    parse: (results) => [a.parse(results.slice(0, split)), b.parse(results.slice(split))],
  };
}
