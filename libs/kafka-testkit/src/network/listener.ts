import { AddressInfo, createServer, Server, Socket } from 'node:net';

/** A TCP server that tracks its sockets, so closing it also drops every client, as a broker going down would. */
export class Listener {
  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    readonly port: number,
  ) {}

  static open(host: string, port: number, onSocket: (socket: Socket) => void): Promise<Listener> {
    const sockets = new Set<Socket>();
    // No Nagle delay: responses are small and latency, not throughput, is what clients of a test broker notice.
    const server = createServer({ noDelay: true }, (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      onSocket(socket);
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(new Listener(server, sockets, (server.address() as AddressInfo).port));
      });
    });
  }

  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    return closed;
  }
}
