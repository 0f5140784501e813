import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '../events/pg-pool';

/** What the ledger knows of an event a service acknowledges. */
export interface AcknowledgedEventFacts {
  eventId: string;
  type: string;
  recordedAt: Date;
}

export interface EnforcementToAppend {
  eventId: string;
  serviceId: string;
  enforcedAt: Date;
  latencyMs: number;
  acknowledgedAt: Date;
  /** The API key that acknowledged. */
  acknowledgedBy: string;
}

export interface StoredEnforcement {
  eventId: string;
  serviceId: string;
  enforcedAt: string;
  latencyMs: number;
}

/** A denying event some services registered for it have not acknowledged. */
export interface UnenforcedEvent {
  position: number;
  eventId: string;
  type: string;
  subjectId: string;
  purpose: string | null;
  recordedAt: string;
  services: { service: string; slaSeconds: number; dueAt: string }[];
}

export interface PendingQuery {
  /** The event types that deny processing (the domain's DENYING_EVENT_TYPES). */
  denyingTypes: readonly string[];
  /** Only events recorded at or before this instant. */
  recordedUntil: Date;
  service?: string;
  afterPosition: number;
  limit: number;
}

/** Per service, what its metrics show. */
export interface ServiceEnforcementSummary {
  serviceId: string;
  pending: number;
  /** Pending for longer than the service's SLA at `now`. */
  breached: number;
  oldestPendingAt: Date | null;
  lastAcknowledgedAt: Date | null;
}

interface EnforcementRow {
  event_id: string;
  service_id: string;
  enforced_at: Date;
  latency_ms: string;
}

/**
 * (service, denying event) pairs the service owes an acknowledgement for: it processed the event's
 * purpose when the event was recorded, or, for an erasure (no purpose), any purpose the subject had an
 * event for. $1 is the denying event types.
 */
const OWED = `
  SELECT DISTINCT sp.service_id, e.global_position, e.recorded_at
  FROM events e
  JOIN service_purposes sp ON sp.since <= e.recorded_at AND CASE
    WHEN e.data ? 'purpose' THEN sp.purpose_id = e.data->>'purpose'
    ELSE EXISTS (SELECT 1 FROM events p WHERE p.stream_id = e.stream_id AND p.data->>'purpose' = sp.purpose_id)
  END
  WHERE e.type = ANY($1::text[])
    AND NOT EXISTS (SELECT 1 FROM enforcements x WHERE x.event_id = e.event_id AND x.service_id = sp.service_id)`;

/** `enforcements`: append-only acknowledgements, one per (event, service); the first one stands. */
export class EnforcementLog {
  constructor(private readonly dataSource: DataSource) {}

  private get pool(): Pool {
    return pgPoolOf(this.dataSource);
  }

  /** The events among `eventIds` that exist (the others are unknown to the ledger). */
  async eventFacts(eventIds: readonly string[]): Promise<Map<string, AcknowledgedEventFacts>> {
    const { rows } = await this.pool.query<{ event_id: string; type: string; recorded_at: Date }>(
      `SELECT event_id, type, recorded_at FROM events WHERE event_id = ANY($1::uuid[])`,
      [eventIds],
    );
    return new Map(rows.map((row) => [row.event_id, { eventId: row.event_id, type: row.type, recordedAt: row.recorded_at }]));
  }

  /**
   * Appends what is not there yet and returns, for every (event, service) given, the acknowledgement
   * that stands (the first one) and whether this call wrote it.
   */
  async append(enforcements: readonly EnforcementToAppend[]): Promise<{ enforcement: StoredEnforcement; created: boolean }[]> {
    if (enforcements.length === 0) return [];
    const keyOf = (eventId: string, serviceId: string) => `${eventId}/${serviceId}`;
    // One round trip: the rows this statement inserts, and the ones that stood before it (its snapshot
    // sees those and not its own inserts).
    const { rows } = await this.pool.query<EnforcementRow & { created: boolean }>(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::bigint[], $5::timestamptz[], $6::text[])
           AS i(event_id, service_id, enforced_at, latency_ms, acknowledged_at, acknowledged_by)),
       inserted AS (
         INSERT INTO enforcements (event_id, service_id, enforced_at, latency_ms, acknowledged_at, acknowledged_by)
         SELECT * FROM input ON CONFLICT (event_id, service_id) DO NOTHING
         RETURNING event_id, service_id, enforced_at, latency_ms)
       SELECT *, true AS created FROM inserted
       UNION ALL
       SELECT x.event_id, x.service_id, x.enforced_at, x.latency_ms, false FROM enforcements x JOIN input USING (event_id, service_id)`,
      [
        enforcements.map((e) => e.eventId),
        enforcements.map((e) => e.serviceId),
        enforcements.map((e) => e.enforcedAt),
        enforcements.map((e) => e.latencyMs),
        enforcements.map((e) => e.acknowledgedAt),
        enforcements.map((e) => e.acknowledgedBy),
      ],
    );
    const stored = new Map(rows.map((row) => [keyOf(row.event_id, row.service_id), { enforcement: toEnforcement(row), created: row.created }]));
    // A concurrent first acknowledgement that committed after this statement's snapshot made ours a no-op
    // and is not in the rows: a new statement sees it.
    const missing = enforcements.filter((e) => !stored.has(keyOf(e.eventId, e.serviceId)));
    if (missing.length > 0) {
      const { rows: late } = await this.pool.query<EnforcementRow>(
        `SELECT x.event_id, x.service_id, x.enforced_at, x.latency_ms
         FROM enforcements x JOIN unnest($1::uuid[], $2::text[]) AS i(event_id, service_id) USING (event_id, service_id)`,
        [missing.map((e) => e.eventId), missing.map((e) => e.serviceId)],
      );
      for (const row of late) stored.set(keyOf(row.event_id, row.service_id), { enforcement: toEnforcement(row), created: false });
    }
    return enforcements.map((e) => stored.get(keyOf(e.eventId, e.serviceId)) as { enforcement: StoredEnforcement; created: boolean });
  }

  /** Every acknowledgement of these events, in one query: history pages, exports and proofs attach them. */
  async forEvents(eventIds: readonly string[]): Promise<Map<string, StoredEnforcement[]>> {
    const byEvent = new Map<string, StoredEnforcement[]>();
    if (eventIds.length === 0) return byEvent;
    const { rows } = await this.pool.query<EnforcementRow>(
      `SELECT event_id, service_id, enforced_at, latency_ms FROM enforcements WHERE event_id = ANY($1::uuid[])
       ORDER BY enforced_at, service_id`,
      [eventIds],
    );
    for (const row of rows) {
      const list = byEvent.get(row.event_id) ?? [];
      list.push(toEnforcement(row));
      byEvent.set(row.event_id, list);
    }
    return byEvent;
  }

  /** Denying events still owed an acknowledgement, in position order, one entry per event. */
  async pending(query: PendingQuery): Promise<UnenforcedEvent[]> {
    const { rows } = await this.pool.query<{
      global_position: string; event_id: string; type: string; data: { subjectId: string; purpose?: string }; recorded_at: Date;
      services: { service: string; slaSeconds: number }[];
    }>(
      `WITH owed AS (${OWED} AND e.recorded_at <= $2 AND e.global_position > $4 AND ($3::text IS NULL OR sp.service_id = $3)),
       page AS (SELECT DISTINCT global_position FROM owed ORDER BY global_position LIMIT $5)
       SELECT e.global_position, e.event_id, e.type, e.data, e.recorded_at,
              json_agg(json_build_object('service', s.service_id, 'slaSeconds', s.sla_seconds) ORDER BY s.service_id) AS services
       FROM page JOIN owed USING (global_position) JOIN events e USING (global_position) JOIN services s USING (service_id)
       GROUP BY e.global_position ORDER BY e.global_position`,
      [query.denyingTypes, query.recordedUntil, query.service ?? null, query.afterPosition, query.limit],
    );
    return rows.map((row) => ({
      position: Number(row.global_position),
      eventId: row.event_id,
      type: row.type,
      subjectId: row.data.subjectId,
      purpose: row.data.purpose ?? null,
      recordedAt: row.recorded_at.toISOString(),
      services: row.services.map(({ service, slaSeconds }) => ({
        service,
        slaSeconds,
        dueAt: new Date(row.recorded_at.getTime() + slaSeconds * 1000).toISOString(),
      })),
    }));
  }

  /** Every registered service's pending and breached counts at `now`, and when it last acknowledged. */
  async summary(denyingTypes: readonly string[], now: Date): Promise<ServiceEnforcementSummary[]> {
    const { rows } = await this.pool.query<{
      service_id: string; pending: string; breached: string; oldest_pending_at: Date | null; last_acknowledged_at: Date | null;
    }>(
      `WITH owed AS (${OWED} AND e.recorded_at <= $2)
       SELECT s.service_id,
              count(o.global_position) AS pending,
              count(o.global_position) FILTER (WHERE o.recorded_at + make_interval(secs => s.sla_seconds) < $2) AS breached,
              min(o.recorded_at) AS oldest_pending_at,
              (SELECT max(x.acknowledged_at) FROM enforcements x WHERE x.service_id = s.service_id) AS last_acknowledged_at
       FROM services s LEFT JOIN owed o USING (service_id)
       GROUP BY s.service_id ORDER BY s.service_id`,
      [denyingTypes, now],
    );
    return rows.map((row) => ({
      serviceId: row.service_id,
      pending: Number(row.pending),
      breached: Number(row.breached),
      oldestPendingAt: row.oldest_pending_at,
      lastAcknowledgedAt: row.last_acknowledged_at,
    }));
  }
}

const toEnforcement = (row: EnforcementRow): StoredEnforcement => ({
  eventId: row.event_id,
  serviceId: row.service_id,
  enforcedAt: row.enforced_at.toISOString(),
  latencyMs: Number(row.latency_ms),
});
