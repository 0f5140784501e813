import { Purpose, PurposeVersion } from '@consent-ledger/domain';
import { PurposeCatalog } from '../purposes/purpose-catalog';

export interface ReferencedPurpose {
  purposeId: string;
  retiredAt: string | null;
  /** Only the versions the subject's events name, with the text the person was shown. */
  versions: PurposeVersion[];
}

/** Collects the purpose versions an export's events name, then resolves them against the catalog. */
export class ReferencedPurposes {
  private readonly named = new Map<string, Set<number>>();

  add(purposeId: string, version: number): void {
    const versions = this.named.get(purposeId) ?? new Set<number>();
    versions.add(version);
    this.named.set(purposeId, versions);
  }

  async resolve(catalog: PurposeCatalog): Promise<ReferencedPurpose[]> {
    // A version published through another instance may be newer than this catalog.
    if ([...this.named].some(([id, versions]) => !covers(catalog.get(id), versions))) await catalog.refresh();
    return [...this.named].sort(([a], [b]) => a.localeCompare(b)).map(([purposeId, versions]) => {
      const purpose = catalog.get(purposeId);
      return {
        purposeId,
        retiredAt: purpose?.retiredAt ?? null,
        versions: (purpose?.versions ?? []).filter((v) => versions.has(v.version)),
      };
    });
  }
}

const covers = (purpose: Purpose | undefined, versions: Set<number>): boolean =>
  purpose !== undefined && [...versions].every((v) => purpose.versions.some((pv) => pv.version === v));
