import { Socket } from 'node:net';
import { BrokerEndpoint } from '../apis/api-handler';
import { findApiHandler } from '../apis/api-registry';
import { FaultInjector } from '../broker-faults';
import { BrokerServices } from '../broker-services';
import { ProtocolError } from '../protocol/protocol-error';
import { Reader } from '../protocol/reader';
import { encodeResponsePrefix, readRequestHeader } from '../protocol/request-header';
import { FrameDecoder } from './frame-decoder';

/** The one broker of the cluster. */
const NODE_ID = 1;

export interface ConnectionSettings {
  readonly services: BrokerServices;
  readonly faults: FaultInjector;
  /** The host the broker was asked to listen on. */
  readonly host: string;
  readonly logger: (message: string) => void;
}

/**
 * One client connection. Requests are handled strictly one at a time, in order: Kafka answers in request
 * order, and a held JoinGroup or long-polling Fetch must hold back what the client sent after it.
 * (kafkajs fetches on a connection of its own, so its heartbeats are not stuck behind a long poll.)
 */
export class Connection {
  private readonly frames = new FrameDecoder();
  private readonly queue: Buffer[] = [];
  private processing = false;
  private readonly closed = new AbortController();
  private readonly endpoint: BrokerEndpoint;
  private readonly clientHost: string;

  constructor(
    private readonly socket: Socket,
    private readonly settings: ConnectionSettings,
  ) {
    // Advertise the address the client dialled, so kafkajs keeps using its seed connection.
    const wildcard = settings.host === '0.0.0.0' || settings.host === '::';
    this.endpoint = { nodeId: NODE_ID, host: wildcard ? (socket.localAddress ?? settings.host) : settings.host, port: socket.localPort ?? 0 };
    this.clientHost = `/${socket.remoteAddress ?? 'unknown'}`;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.closed.abort());
    // Resets from clients that go away are routine; the close event follows.
    socket.on('error', () => undefined);
  }

  private receive(chunk: Buffer): void {
    try {
      this.queue.push(...this.frames.push(chunk));
    } catch (error) {
      this.fail(error);
      return;
    }
    void this.processQueue();
  }

  private async processQueue(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let frame = this.queue.shift(); frame && !this.socket.destroyed; frame = this.queue.shift()) {
        await this.process(frame);
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.processing = false;
    }
  }

  private async process(frame: Buffer): Promise<void> {
    const request = new Reader(frame);
    const header = readRequestHeader(request);
    const handler = findApiHandler(header.apiKey, header.apiVersion);
    if (!handler) throw new ProtocolError(`unsupported API ${header.apiKey} version ${header.apiVersion}`);

    const body = await handler.handle(request, {
      services: this.settings.services,
      endpoint: this.endpoint,
      clientId: header.clientId,
      clientHost: this.clientHost,
      connectionClosed: this.closed.signal,
    });
    if (this.settings.faults.takeDroppedResponse(header.apiKey)) {
      this.socket.destroy();
      return;
    }
    if (body === null || this.socket.destroyed) return;
    const bytes = body.toBuffer();
    this.socket.cork();
    this.socket.write(encodeResponsePrefix(header.correlationId, bytes.length));
    this.socket.write(bytes);
    this.socket.uncork();
  }

  private fail(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.settings.logger(`kafka-testkit: closing connection from ${this.clientHost}: ${reason}`);
    this.socket.destroy();
  }
}
