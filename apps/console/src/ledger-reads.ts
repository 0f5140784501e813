import { api, enc } from './api';
import { HistoryEvent, PurposeHistory, PurposeSummary } from './ledger-types';

/** Every page of a subject's history, oldest first. */
export async function subjectHistory(subjectId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await api<{ events: HistoryEvent[]; next?: number | null }>(
      `/v1/subjects/${enc(subjectId)}/events?limit=1000${after === undefined ? '' : `&after=${after}`}`,
    );
    events.push(...page.events);
    if (page.next === undefined || page.next === null || page.events.length === 0) return events;
    after = page.next;
  }
}

export const purposeHistory = (purposeId: string): Promise<PurposeHistory> => api<PurposeHistory>(`/v1/purposes/${enc(purposeId)}`);

export const purposeList = (): Promise<PurposeSummary[]> => api<{ purposes: PurposeSummary[] }>('/v1/purposes').then((r) => r.purposes);
