import { Reader } from './reader';

/** Request header v1, the one every non-flexible request version uses. */
export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string;
}

export function readRequestHeader(reader: Reader): RequestHeader {
  return {
    apiKey: reader.int16(),
    apiVersion: reader.int16(),
    correlationId: reader.int32(),
    clientId: reader.nullableString() ?? '',
  };
}

/** Response header v0 (the correlation id) preceded by the frame size, which counts header and body. */
export function encodeResponsePrefix(correlationId: number, bodyLength: number): Buffer {
  const prefix = Buffer.allocUnsafe(8);
  prefix.writeInt32BE(4 + bodyLength, 0);
  prefix.writeInt32BE(correlationId, 4);
  return prefix;
}
