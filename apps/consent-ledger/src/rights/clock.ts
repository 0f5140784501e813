/** Where the rights sweeps read the time: injected, so tests move it instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const LEDGER_CLOCK = Symbol('LEDGER_CLOCK');

export const systemClock: Clock = { now: () => new Date() };
