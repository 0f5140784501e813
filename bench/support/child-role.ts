import { ChildProcess, fork } from 'node:child_process';
import { OutputTail } from './output-tail';

/** argv[2] of a bench bundle started as a helper process rather than as the runner. */
export const ROLE_FLAG = '--role';

export type RoleName = 'bare-server' | 'kafka-broker';

/**
 * A helper (baseline server, Kafka broker) in its own process, forked from this same bundle, so
 * that it gets a core and an event loop of its own, as the service does.
 */
export class RoleProcess<Ready> {
  private constructor(
    private readonly child: ChildProcess,
    readonly ready: Ready,
  ) {}

  static async fork<Ready>(role: RoleName, args: string[] = []): Promise<RoleProcess<Ready>> {
    const child = fork(process.argv[1], [ROLE_FLAG, role, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const output = new OutputTail();
    child.stdout?.on('data', (chunk: Buffer) => output.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.write(chunk));
    const ready = await new Promise<Ready>((resolve, reject) => {
      child.once('message', (message) => resolve((message as { ready: Ready }).ready));
      child.once('exit', (code) => reject(new Error(`${role} exited with ${code} before it was ready:\n${output.text()}`)));
    });
    return new RoleProcess(child, ready);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Sends a request to the helper (see answerRequests) and resolves with its answer. */
  request<Request, Reply>(request: Request): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the helper exited with ${code} before answering`));
      this.child.once('exit', onExit);
      this.child.once('message', (message) => {
        this.child.off('exit', onExit);
        const { reply, error } = message as { reply?: Reply; error?: string };
        if (error === undefined) resolve(reply as Reply);
        else reject(new Error(`the helper failed: ${error}`));
      });
      this.child.send({ request }, (error) => error && reject(error));
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exit = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exit;
  }
}

/** In the child: tells the parent it is ready, and stops cleanly on SIGTERM. */
export function announceReady<Ready>(ready: Ready, stop: () => Promise<void>): void {
  process.send?.({ ready });
  process.once('SIGTERM', () => {
    void stop().finally(() => process.exit(0));
  });
}

/** In the child: answers each request the parent sends with RoleProcess.request, one at a time. */
export function answerRequests<Request, Reply>(answer: (request: Request) => Promise<Reply>): void {
  let queue: Promise<void> = Promise.resolve();
  process.on('message', (message: { request?: Request }) => {
    if (message.request === undefined) return;
    const request = message.request;
    queue = queue.then(async () => {
      try {
        process.send?.({ reply: await answer(request) });
      } catch (error) {
        process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    });
  });
}
