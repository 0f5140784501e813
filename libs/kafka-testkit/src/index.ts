export { KafkaBroker } from './broker';
export type { BrokerFaults } from './broker-faults';
export type { CompactionOptions, KafkaBrokerOptions } from './broker-options';
export type { PartitionCompaction } from './log/log-cleaner';
