/** The API's response shapes the console reads (DESIGN.md, HTTP API). */

export type LocalizedText = string | Record<string, string>;

export interface HistoryEvent {
  eventId: string;
  position: number;
  streamVersion: number;
  type: string;
  purpose: string | null;
  purposeVersion: number | null;
  occurredAt: string;
  recordedAt: string;
  source: { channel?: string; collectionPoint?: string; policyVersion?: string } | null;
  proof: Record<string, unknown>;
  prevHash: string;
  hash: string;
  enforcements?: { service: string; enforcedAt: string; latencyMs: number }[];
}

export interface ConsentEntry {
  purpose: string;
  purposeVersion: number | null;
  currentPurposeVersion: number;
  legalBasis: string;
  status: string;
  allowed: boolean;
  since: string | null;
  expiresAt: string | null;
  reconsentRequired: boolean;
}

export interface ConsentsView {
  subjectId: string;
  asOf: string;
  streamVersion: number;
  consents: ConsentEntry[];
}

export interface PurposeVersion {
  version: number;
  title: LocalizedText;
  description: LocalizedText;
  legalBasis: string;
  validityDays: number | null;
  materialChange: boolean;
  publishedAt: string;
}

export interface PurposeHistory {
  purposeId: string;
  currentVersion: number;
  retiredAt: string | null;
  versions: PurposeVersion[];
}

export interface PurposeSummary extends PurposeVersion {
  purposeId: string;
  retiredAt: string | null;
}
