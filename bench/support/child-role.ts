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
