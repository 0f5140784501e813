import { Purpose, PurposeEvent } from '@consent-ledger/domain';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '../events/pg-pool';
import { SqlSession } from '../events/sql-session';

interface PurposeVersionRow {
  purpose_id: string;
  version: number;
  title: Purpose['versions'][number]['title'];
  description: Purpose['versions'][number]['description'];
  legal_basis: Purpose['versions'][number]['legalBasis'];
  validity_days: number | null;
  material_change: boolean;
  published_at: Date;
  retired_at: Date | null;
}

/** `purposes` and `purpose_versions`, kept in the transaction that appends the purpose's events. */
export class PurposeReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async apply(query: SqlSession, events: readonly PurposeEvent[]): Promise<void> {
    for (const event of events) {
      switch (event.type) {
        case 'PurposePublished':
          await query(
            `INSERT INTO purposes (purpose_id, current_version) VALUES ($1, $2)
             ON CONFLICT (purpose_id) DO UPDATE SET current_version = EXCLUDED.current_version`,
            [event.purposeId, event.version],
          );
          await query(
            `INSERT INTO purpose_versions (purpose_id, version, title, description, legal_basis, validity_days, material_change, published_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [event.purposeId, event.version, JSON.stringify(event.title), JSON.stringify(event.description),
              event.legalBasis, event.validityDays, event.materialChange, event.occurredAt],
          );
          break;
        case 'PurposeRetired':
          await query(`UPDATE purposes SET retired_at = $2 WHERE purpose_id = $1`, [event.purposeId, event.occurredAt]);
          break;
        default: {
          const unexpected: never = event;
          throw new Error(`unknown purpose event ${(unexpected as PurposeEvent).type}`);
        }
      }
    }
  }

  /** Every purpose with all its versions, oldest version first. */
  async loadAll(): Promise<Purpose[]> {
    return purposesOfRows(await this.dataSource.query(`${SELECT_VERSIONS} ORDER BY v.purpose_id, v.version`));
  }

  /**
   * How many purpose changes were ever committed: every version published and every retirement adds
   * one, so a cache whose own count differs is stale. One scan of a table of a few hundred rows.
   */
  async changeCount(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT (coalesce(sum(current_version), 0) + count(retired_at))::int AS n FROM purposes`);
    return row.n;
  }

  /**
   * The named purposes as committed, read with the subject's state for a decision (a decision must not
   * rest on a cached catalog that another instance's retirement or material change has made stale;
   * the append then checks they are still so). No purpose named: no statement.
   */
  async named(purposeIds: readonly string[]): Promise<Map<string, Purpose>> {
    if (purposeIds.length === 0) return new Map();
    const { rows } = await pgPoolOf(this.dataSource).query<PurposeVersionRow>({
      name: 'consent-ledger.named-purposes',
      text: `${SELECT_VERSIONS} WHERE v.purpose_id = ANY($1::text[]) ORDER BY v.purpose_id, v.version`,
      values: [purposeIds],
    });
    return new Map(purposesOfRows(rows).map((p) => [p.purposeId, p]));
  }
}

const SELECT_VERSIONS = `SELECT v.*, p.retired_at FROM purpose_versions v JOIN purposes p USING (purpose_id)`;

/** Rows ordered by purpose, then version. */
function purposesOfRows(rows: PurposeVersionRow[]): Purpose[] {
  const purposes = new Map<string, Purpose>();
  for (const row of rows) {
    const purpose = purposes.get(row.purpose_id) ?? {
      purposeId: row.purpose_id,
      versions: [],
      retiredAt: row.retired_at?.toISOString() ?? null,
    };
    purpose.versions.push({
      version: row.version,
      title: row.title,
      description: row.description,
      legalBasis: row.legal_basis,
      validityDays: row.validity_days,
      materialChange: row.material_change,
      publishedAt: row.published_at.toISOString(),
    });
    purposes.set(row.purpose_id, purpose);
  }
  return [...purposes.values()];
}
