import { Injectable } from '@nestjs/common';
import { decideEnforcedAt, isDenyingEvent, isEnforcementRuleError } from '@consent-ledger/domain';
import { EnforcementLog, EnforcementToAppend, ServiceRegistry } from '@consent-ledger/ledger-store';
import { Principal } from '../auth/principal';
import { ProblemException } from '../http/problem';
import { EnforcementClock } from './enforcement-clock';
import { enforcementMetrics } from './enforcement-metrics';

export interface Acknowledgement {
  eventId: string;
  enforcedAt?: string;
}

/** An acknowledgement as stored; `created` is false when an earlier one already stood (a no-op). */
export interface RecordedEnforcement {
  eventId: string;
  service: string;
  enforcedAt: string;
  latencyMs: number;
  created: boolean;
}

/** An acknowledgement refused on its own merits; the others of its batch are still recorded. */
export interface RejectedAcknowledgement {
  eventId: string;
  status: 400 | 404 | 422;
  code: string;
  detail: string;
}

/** Records services' acknowledgements of denying events. */
@Injectable()
export class EnforcementRecorder {
  constructor(
    private readonly registry: ServiceRegistry,
    private readonly log: EnforcementLog,
    private readonly clock: EnforcementClock,
  ) {}

  async acknowledge(
    principal: Principal,
    service: string,
    acknowledgements: readonly Acknowledgement[],
  ): Promise<{ enforcements: RecordedEnforcement[]; rejected: RejectedAcknowledgement[] }> {
    // A key bound to a service speaks for that service only: one compromised subscriber cannot clear another's backlog.
    if (principal.service !== undefined && principal.service !== service) {
      throw ProblemException.of(403, 'service_mismatch', `this API key acknowledges for service ${principal.service} only`);
    }
    if ((await this.registry.get(service)) === null) {
      throw ProblemException.of(422, 'unknown_service', `no registered service ${service}`, [{ field: 'service', message: 'not registered' }]);
    }
    const facts = await this.log.eventFacts([...new Set(acknowledgements.map((a) => a.eventId))]);
    const now = this.clock.now();
    const toAppend: EnforcementToAppend[] = [];
    const rejected: RejectedAcknowledgement[] = [];
    for (const { eventId, enforcedAt } of acknowledgements) {
      const event = facts.get(eventId);
      if (event === undefined) {
        rejected.push({ eventId, status: 404, code: 'event_not_found', detail: `no event ${eventId}` });
        continue;
      }
      if (!isDenyingEvent(event.type)) {
        rejected.push({ eventId, status: 422, code: 'event_not_enforceable', detail: `${event.type} denies nothing: there is nothing to enforce` });
        continue;
      }
      const decided = decideEnforcedAt(enforcedAt, event.recordedAt, now);
      if (isEnforcementRuleError(decided)) {
        rejected.push({ eventId, status: decided.code === 'enforced_before_recorded' ? 422 : 400, code: decided.code, detail: decided.message });
        continue;
      }
      toAppend.push({
        eventId,
        serviceId: service,
        enforcedAt: decided,
        latencyMs: decided.getTime() - event.recordedAt.getTime(),
        acknowledgedAt: now,
        acknowledgedBy: principal.keyId,
      });
    }
    const stored = await this.log.append(toAppend);
    const enforcements = stored.map(({ enforcement, created }) => {
      if (created) enforcementMetrics.timeToEnforce.observe({ service }, enforcement.latencyMs / 1000);
      return { eventId: enforcement.eventId, service, enforcedAt: enforcement.enforcedAt, latencyMs: enforcement.latencyMs, created };
    });
    return { enforcements, rejected };
  }
}
