/** The subset of a pino logger the client writes to, so a pino instance can be passed as is. */
export interface ConsentClientLogger {
  info(bindings: object, message: string): void;
  warn(bindings: object, message: string): void;
  error(bindings: object, message: string): void;
}

export const silentLogger: ConsentClientLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
