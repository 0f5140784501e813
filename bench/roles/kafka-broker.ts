import { KafkaBroker } from '@consent-ledger/kafka-testkit';
import { announceReady } from '../support/child-role';

export interface KafkaBrokerReady {
  /** host:port for kafkajs' `brokers`. */
  address: string;
}

/** The in-repo broker in a process of its own, so its work is not charged to the bench's consumers. */
export async function runKafkaBroker(): Promise<void> {
  const broker = await KafkaBroker.start({ port: 0 });
  announceReady<KafkaBrokerReady>({ address: broker.address }, () => broker.stop());
}
