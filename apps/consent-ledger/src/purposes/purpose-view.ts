import { Purpose, PurposeVersion } from '@consent-ledger/domain';

export interface PurposeVersionView extends PurposeVersion {
  purposeId: string;
  retiredAt: string | null;
}

export interface PurposeHistoryView {
  purposeId: string;
  currentVersion: number;
  retiredAt: string | null;
  versions: PurposeVersion[];
}

export function currentVersionView(purpose: Purpose): PurposeVersionView {
  return { purposeId: purpose.purposeId, ...purpose.versions[purpose.versions.length - 1], retiredAt: purpose.retiredAt };
}

export function historyView(purpose: Purpose): PurposeHistoryView {
  return {
    purposeId: purpose.purposeId,
    currentVersion: purpose.versions.length,
    retiredAt: purpose.retiredAt,
    versions: purpose.versions,
  };
}
