import { EnforcementLog } from '@consent-ledger/ledger-store';

/** What history, export and proof show of one event's enforcement by one service. */
export interface EnforcementView {
  service: string;
  enforcedAt: string;
  latencyMs: number;
}

/**
 * `events` with the acknowledgements each has received, in one query for the whole page (never one
 * per event); an event no service acknowledged carries an empty list.
 */
export async function withEnforcements<E extends { eventId: string }>(
  log: EnforcementLog,
  events: readonly E[],
): Promise<(E & { enforcements: EnforcementView[] })[]> {
  const byEvent = await log.forEvents(events.map((event) => event.eventId));
  return events.map((event) => ({
    ...event,
    enforcements: (byEvent.get(event.eventId) ?? []).map(({ serviceId, enforcedAt, latencyMs }) => ({ service: serviceId, enforcedAt, latencyMs })),
  }));
}
