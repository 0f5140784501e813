/**
 * A write that rides in the append's own statement, as a data-modifying CTE, instead of costing a
 * round trip of its own (the projection's upsert, for one). Its SQL may select from `appended`:
 * the inserted rows, with the columns of EVENT_COLUMNS (global_position, event_id, ...).
 */
export interface AppendCompanion {
  /** The CTE's body, its placeholders numbered from `firstParam`. */
  sql(firstParam: number): string;
  params: unknown[];
}
