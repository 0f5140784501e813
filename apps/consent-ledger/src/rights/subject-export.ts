import { Inject, Injectable } from '@nestjs/common';
import {
  ConsentEntry, SubjectState, consentEntry, evolveSubject, initialSubjectState, subjectStreamId,
} from '@consent-ledger/domain';
import { EnforcementLog, EventStore, decodeSubjectEvent } from '@consent-ledger/ledger-store';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { withEnforcements } from '../enforcement/event-enforcements';
import { ProblemException } from '../http/problem';
import { PurposeCatalog } from '../purposes/purpose-catalog';
import { exportedEvent } from './export-event-view';
import { ReferencedPurposes } from './referenced-purposes';
import { subjectEventPages } from './subject-event-pages';

/** The stream an export describes: its version when the export started. */
export interface ExportTarget {
  subjectId: string;
  streamVersion: number;
  exportedAt: Date;
}

/**
 * Access and portability (GDPR Art. 15 and 20): the subject's events with their personal proof fields
 * decrypted (or "[erased]"), the current state, and the purpose versions the events name, as one JSON
 * document written piece by piece. Only one page of events is in memory at a time; the state is the
 * domain's fold of exactly the events exported, so the document is consistent with itself.
 */
@Injectable()
export class SubjectExport {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: PurposeCatalog,
    private readonly enforcements: EnforcementLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Resolved before the first byte is written, so an unknown subject is still a clean 404. */
  async target(subjectId: string): Promise<ExportTarget> {
    const streamVersion = await this.store.streamVersion(subjectStreamId(subjectId));
    if (streamVersion === 0) throw ProblemException.of(404, 'subject_not_found', `the ledger holds no event for subject ${subjectId}`);
    return { subjectId, streamVersion, exportedAt: new Date() };
  }

  async *json({ subjectId, streamVersion, exportedAt }: ExportTarget): AsyncGenerator<string> {
    const head = { subjectId, exportedAt: exportedAt.toISOString(), streamVersion, controller: this.controller() };
    yield `${JSON.stringify(head).slice(0, -1)},"events":[`;
    let state: SubjectState = initialSubjectState(subjectId);
    const purposes = new ReferencedPurposes();
    let first = true;
    for await (const page of subjectEventPages(this.store, subjectId, streamVersion)) {
      const views = page.map((event) => {
        const data = decodeSubjectEvent(event);
        state = evolveSubject(state, data);
        if (data.type !== 'SubjectErased') purposes.add(data.purpose, data.purposeVersion);
        return exportedEvent(event);
      });
      const chunk = (await withEnforcements(this.enforcements, views)).map((view) => JSON.stringify(view));
      yield `${first ? '' : ','}${chunk.join(',')}`;
      first = false;
    }
    yield `],"erasedAt":${JSON.stringify(state.erasedAt)},"consents":${JSON.stringify(this.consents(state, exportedAt))}`;
    yield `,"purposes":${JSON.stringify(await purposes.resolve(this.catalog))}}`;
  }

  /** What GET /v1/subjects/{id}/consents answers, from the fold: every purpose, never-decided ones as none. */
  private consents(state: SubjectState, at: Date): ConsentEntry[] {
    return this.catalog.all().map((purpose) => consentEntry(state.consents[purpose.purposeId], purpose, at, state.erasedAt));
  }

  controller(): AppConfig['controller'] {
    return this.config.controller;
  }
}
