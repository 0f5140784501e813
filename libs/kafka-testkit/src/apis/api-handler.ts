import { BrokerServices } from '../broker-services';
import { ApiKey } from '../protocol/api-key';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';

/** This broker as clients must reach it; advertised in Metadata and FindCoordinator. */
export interface BrokerEndpoint {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export interface RequestContext {
  readonly services: BrokerServices;
  readonly endpoint: BrokerEndpoint;
  readonly clientId: string;
  readonly clientHost: string;
  /** Aborted when the connection closes, so a long-polling request stops waiting. */
  readonly connectionClosed: AbortSignal;
}

export interface ApiHandler {
  readonly apiKey: ApiKey;
  /** The one version implemented, advertised as both min and max: kafkajs ignores the broker's minimum. */
  readonly version: number;
  /** The response body, or null when the client expects none (Produce with acks=0). */
  handle(request: Reader, context: RequestContext): Writer | null | Promise<Writer | null>;
}
