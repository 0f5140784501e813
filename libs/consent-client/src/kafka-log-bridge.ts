import { logCreator, logLevel } from 'kafkajs';
import { ConsentClientLogger } from './client-logger';

/** Sends kafkajs' log lines to the client's logger, so a service has one log stream rather than kafkajs' console output. */
export const kafkaLogBridge =
  (logger: ConsentClientLogger): logCreator =>
  () =>
  ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, logger: _kafkaLogger, ...fields } = log;
    const bindings = { kafkajs: namespace, ...fields };
    const text = `kafkajs: ${String(message)}`;
    if (level === logLevel.ERROR) logger.error(bindings, text);
    else if (level === logLevel.WARN) logger.warn(bindings, text);
    else logger.info(bindings, text);
  };
