import { BrokerFaults, FaultInjector } from './broker-faults';
import { BrokerSettings, KafkaBrokerOptions, resolveBrokerOptions } from './broker-options';
import { BrokerServices, closeBrokerFiles, openBrokerServices } from './broker-services';
import { PartitionCompaction } from './log/log-cleaner';
import { Connection } from './network/connection';
import { Listener } from './network/listener';

/** A single-node Kafka broker speaking the wire protocol kafkajs 2.x needs, for tests and local runs. */
export class KafkaBroker {
  private readonly faultInjector = new FaultInjector();
  private listener: Listener | null = null;
  private boundPort: number;

  private constructor(
    private readonly settings: BrokerSettings,
    private readonly services: BrokerServices,
  ) {
    this.boundPort = settings.port;
  }

  static async start(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
    const settings = resolveBrokerOptions(options);
    const broker = new KafkaBroker(settings, openBrokerServices(settings));
    await broker.listen();
    return broker;
  }

  get host(): string {
    return this.settings.host;
  }

  /** The bound port, also when started with port 0. */
  get port(): number {
    return this.boundPort;
  }

  /** For kafkajs: `brokers: [broker.address]`. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  get faults(): BrokerFaults {
    return this.faultInjector;
  }

  /**
   * Compacts every partition of every topic created with cleanup.policy=compact now, however little is
   * dirty (the background cleaner waits for min dirty thresholds), and resolves with what each pass did.
   * The newest batch of each partition is left as written, as Kafka leaves its active segment.
   */
  compact(): Promise<PartitionCompaction[]> {
    return this.services.cleaner.compactAll();
  }

  /** Closes the listener and destroys every client socket, so clients see the broker go down. State is kept. */
  async stop(): Promise<void> {
    const listener = this.listener;
    if (listener === null) return;
    this.listener = null;
    this.services.groups.suspend();
    await this.services.cleaner.suspend();
    await listener.close();
    closeBrokerFiles(this.services);
    this.settings.logger(`kafka-testkit: broker on ${this.address} stopped`);
  }

  /** Stops, then listens again on the same port with all topics, logs, offsets and producer state. */
  async restart(): Promise<void> {
    await this.stop();
    await this.listen();
  }

  private async listen(): Promise<void> {
    const connectionSettings = { services: this.services, faults: this.faultInjector, host: this.host, logger: this.settings.logger };
    this.listener = await Listener.open(this.host, this.boundPort, (socket) => new Connection(socket, connectionSettings));
    this.boundPort = this.listener.port;
    this.services.groups.resume();
    this.services.cleaner.resume();
    this.settings.logger(`kafka-testkit: broker listening on ${this.address}`);
  }
}
