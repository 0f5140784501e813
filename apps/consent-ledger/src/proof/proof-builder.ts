import { Injectable } from '@nestjs/common';
import { purposeStreamId, subjectStreamId } from '@consent-ledger/domain';
import { EnforcementLog, EventStore, LogLeaves, LogTree, SubjectProof, proofEvent } from '@consent-ledger/ledger-store';
import { formatTlogProof } from '@consent-ledger/transparency-log';
import { withEnforcements } from '../enforcement/event-enforcements';
import { ProblemException } from '../http/problem';
import { PurposeCatalog } from '../purposes/purpose-catalog';
import { ConsentReader } from '../subjects/consent-reader';
import { LogReader } from './log-reader';

/**
 * Builds the proof of lawful basis at an instant. The decision is the domain's (the same
 * ConsentReader answer GET consents gives for `at`); the proof adds the events it follows from, the
 * purpose texts, and an inclusion proof of each event in the latest signed checkpoint.
 */
@Injectable()
export class ProofBuilder {
  constructor(
    private readonly store: EventStore,
    private readonly consents: ConsentReader,
    private readonly catalog: PurposeCatalog,
    private readonly log: LogReader,
    private readonly enforcements: EnforcementLog,
  ) {}

  async build(subjectId: string, purposeId: string, at: Date): Promise<SubjectProof> {
    // The purpose as committed, not as a catalog another instance has since changed.
    await this.catalog.ensureCurrent();
    const purpose = this.catalog.get(purposeId);
    if (!purpose) throw ProblemException.of(404, 'purpose_not_found', `no purpose ${purposeId}`);
    if ((await this.store.streamVersion(subjectStreamId(subjectId))) === 0) {
      throw ProblemException.of(404, 'subject_not_found', `no events for subject ${subjectId}`);
    }
    const view = await this.consents.consents(subjectId, at);
    const entry = view.consents.find((c) => c.purpose === purposeId);
    if (!entry) throw ProblemException.of(404, 'purpose_not_found', `no purpose ${purposeId}`);
    const shownVersion = entry.purposeVersion ?? entry.currentPurposeVersion;
    const version = purpose.versions[shownVersion - 1];

    // Both streams whole, so that the auditor checks every chain link from genesis and refolds the
    // decision with the domain's functions (which skip what occurred after `at`).
    const [purposeEvents, subjectEvents] = await Promise.all([
      this.store.readStream(purposeStreamId(purposeId)),
      this.store.readStream(subjectStreamId(subjectId)),
    ]);
    const events = [...purposeEvents, ...subjectEvents].map(proofEvent);

    const checkpoint = await this.log.latest();
    const tree = new LogTree(this.log.query);
    const leaves = await LogLeaves.ofEvents(this.log.query, events.map((e) => e.eventId));
    const inclusion = await Promise.all(
      leaves
        .filter((leaf) => leaf.leafIndex < checkpoint.treeSize)
        .sort((a, b) => a.leafIndex - b.leafIndex)
        .map(async (leaf) => ({
          eventId: leaf.eventId,
          leafIndex: leaf.leafIndex,
          tlogProof: formatTlogProof({ index: leaf.leafIndex, hashes: await tree.inclusion(leaf.leafIndex, checkpoint.treeSize), checkpoint: checkpoint.note }),
        })),
    );
    return {
      subjectId,
      purpose: purposeId,
      at: at.toISOString(),
      decision: { allowed: entry.allowed, status: entry.status, legalBasis: entry.legalBasis, reason: entry.reason },
      purposeVersion: {
        version: version.version, title: version.title, description: version.description, legalBasis: version.legalBasis,
        validityDays: version.validityDays, publishedAt: version.publishedAt,
      },
      events: await withEnforcements(this.enforcements, events),
      checkpoint: checkpoint.note,
      inclusion,
    };
  }
}
