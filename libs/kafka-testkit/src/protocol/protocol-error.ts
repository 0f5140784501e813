/** A request that cannot be decoded; the connection is closed, as Kafka does. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}
