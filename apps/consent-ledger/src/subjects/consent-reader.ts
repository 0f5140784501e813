import { Injectable } from '@nestjs/common';
import { ConsentEntry, Purpose, consentEntry, currentVersion, purposePolicyAt, subjectStateAt, subjectStreamId } from '@consent-ledger/domain';
import { ConsentStateGateway, EventStore, PurposeHead, decodeSubjectEvent } from '@consent-ledger/ledger-store';
import { ProblemException } from '../http/problem';
import { ledgerMetrics, timed } from '../metrics/ledger-metrics';
import { PurposeCatalog } from '../purposes/purpose-catalog';
import { ConsistencyGate } from './consistency-gate';
import { StateLookup } from './state-lookup';

export interface ConsentsView {
  subjectId: string;
  asOf: string;
  streamVersion: number;
  consents: ConsentEntry[];
}

export interface BulkDecision {
  purpose: string;
  allowed: string[];
  denied: string[];
}

/**
 * The read side: current state from the projection (one indexed read), state at a past instant
 * by folding the log up to it. Both end in the domain's allowed-policy. Each read takes an optional
 * `minPosition` (a consistency token) and answers only once the state is at least that fresh.
 */
@Injectable()
export class ConsentReader {
  private readonly lookup: StateLookup;
  private readonly gate: ConsistencyGate;

  constructor(
    private readonly gateway: ConsentStateGateway,
    private readonly store: EventStore,
    private readonly catalog: PurposeCatalog,
  ) {
    this.lookup = new StateLookup((pairs) => this.gateway.pairs(pairs));
    this.gate = new ConsistencyGate(store);
  }

  async consents(subjectId: string, at: Date | undefined, minPosition?: number): Promise<ConsentsView> {
    await this.gate.awaitVisible(minPosition);
    const asOf = at ?? new Date();
    // The purposes listed are the ones committed, not those of a catalog another instance has since changed.
    const [state] = await Promise.all([at ? this.stateAt(subjectId, at) : this.gateway.subject(subjectId), this.catalog.ensureCurrent()]);
    return {
      subjectId,
      asOf: asOf.toISOString(),
      streamVersion: state.version,
      consents: this.catalog.all().map((purpose) => consentEntry(state.consents[purpose.purposeId], purpose, asOf, state.erasedAt)),
    };
  }

  async check(subjectId: string, purposeId: string, minPosition?: number): Promise<ConsentEntry> {
    await this.gate.awaitVisible(minPosition);
    const pair = await timed(ledgerMetrics.check.labels('single'), () => this.lookup.find(subjectId, purposeId));
    const purpose = await this.asCommitted(purposeId, pair.purposeHead);
    return consentEntry(pair.record, purpose, new Date(), pair.erasedAt);
  }

  async checkMany(purposeId: string, subjectIds: string[], minPosition?: number): Promise<BulkDecision> {
    await this.gate.awaitVisible(minPosition);
    const unique = [...new Set(subjectIds)];
    const slice = await timed(ledgerMetrics.check.labels('bulk'), () => this.gateway.forPurpose(purposeId, unique));
    const policy = purposePolicyAt(await this.asCommitted(purposeId, slice.purposeHead), new Date());
    const decision: BulkDecision = { purpose: purposeId, allowed: [], denied: [] };
    // In the order asked, whatever order the rows came back in.
    for (const subjectId of unique) {
      const { allowed } = policy.decide(slice.records.get(subjectId), slice.erasedAt.get(subjectId) ?? null);
      (allowed ? decision.allowed : decision.denied).push(subjectId);
    }
    return decision;
  }

  /**
   * The cached purpose, refreshed first when the head the check read with its state says another
   * instance created, retired or changed it since: a check never answers on a stale catalog. No head:
   * no such purpose is committed.
   */
  private async asCommitted(purposeId: string, head: PurposeHead | null | undefined): Promise<Purpose> {
    if (!head) throw ProblemException.of(404, 'purpose_not_found', `no purpose ${purposeId}`);
    const cached = this.catalog.get(purposeId);
    if (cached && head.currentVersion === currentVersion(cached)?.version && head.retiredAt === cached.retiredAt) return cached;
    await this.catalog.refresh();
    return this.requirePurpose(purposeId);
  }

  private requirePurpose(purposeId: string): Purpose {
    const purpose = this.catalog.get(purposeId);
    if (!purpose) throw ProblemException.of(404, 'purpose_not_found', `no purpose ${purposeId}`);
    return purpose;
  }

  /**
   * The whole stream, not only the events that occurred by `at`: subjectStateAt counts the later ones
   * too, so that the answer's streamVersion and each record's stream version are the real ones even
   * when a late import put an old occurredAt after newer events.
   */
  private async stateAt(subjectId: string, at: Date) {
    const events = await this.store.readStream(subjectStreamId(subjectId));
    return subjectStateAt(subjectId, events.map(decodeSubjectEvent), at);
  }
}
