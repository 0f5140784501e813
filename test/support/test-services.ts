import type { TestKafka } from './kafka';
import type { TestPostgres } from './postgres';

/** The servers global-setup started, for global-teardown to stop. */
export interface TestServices {
  postgres: TestPostgres;
  kafka: TestKafka;
}

declare global {
  // globalThis is the channel jest documents from global-setup to global-teardown (both run in its
  // parent process). Workers never see it: they get URLs through process.env instead.
  var consentLedgerTestServices: TestServices | undefined;
}

export function keepTestServices(services: TestServices): void {
  globalThis.consentLedgerTestServices = services;
}

export function takeTestServices(): TestServices | undefined {
  const services = globalThis.consentLedgerTestServices;
  globalThis.consentLedgerTestServices = undefined;
  return services;
}
