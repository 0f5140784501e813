import { ApiKey } from './protocol/api-key';

export interface BrokerFaults {
  /** Drop the connection after the next request of this API (default: Produce = 0) is handled (appended) but before its response is written. */
  dropNextResponse(apiKey?: number): void;
}

/** Faults armed by tests; each armed drop is consumed by one request. */
export class FaultInjector implements BrokerFaults {
  private readonly armedDrops = new Map<number, number>();

  dropNextResponse(apiKey: number = ApiKey.Produce): void {
    this.armedDrops.set(apiKey, (this.armedDrops.get(apiKey) ?? 0) + 1);
  }

  /** Whether the response to a request of this API must be dropped, with its connection. */
  takeDroppedResponse(apiKey: number): boolean {
    const armed = this.armedDrops.get(apiKey) ?? 0;
    if (armed === 0) return false;
    this.armedDrops.set(apiKey, armed - 1);
    return true;
  }
}
