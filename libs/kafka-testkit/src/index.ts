export { KafkaBroker } from './broker';
export type { BrokerFaults } from './broker-faults';
export type { KafkaBrokerOptions } from './broker-options';
