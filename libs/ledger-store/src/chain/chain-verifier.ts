import { MerkleAppender, NoteVerifier, leafHash, openNote, parseCheckpoint } from '@consent-ledger/transparency-log';
import { DataSource } from 'typeorm';
import { EventRow, EVENT_COLUMNS, toStoredEvent } from '../events/event-row';
import { StoredEvent } from '../events/stored-event';
import { LogCheckpoints } from '../log/log-checkpoints';
import { GENESIS_HASH, storedEventHash } from './chain-hash';

export type ChainBreakReason =
  /** An event's fields do not give its hash (edited). */
  | 'hash_mismatch'
  /** An event does not link to the one before it in its stream (edited, removed or reordered). */
  | 'prev_hash_mismatch'
  /** A stream's versions skip (removed). */
  | 'version_gap'
  /** A stream's last event is not its head (its tail removed, or the head rewritten). */
  | 'head_mismatch'
  /** A sealed leaf's event is gone (removed). */
  | 'leaf_event_missing'
  /** A sealed leaf no longer matches its event's recomputed hash (edited, reordered). */
  | 'leaf_mismatch'
  /** A sealed leaf's event moved in commit order (reordered). */
  | 'leaf_order_mismatch'
  /** An event that commit order places before sealed events was never sealed (inserted into the past). */
  | 'unsealed_event'
  /** The latest checkpoint's signature fails, or the tree rebuilt from the events is not the tree it signed. */
  | 'checkpoint_mismatch';

export interface ChainBreak {
  reason: ChainBreakReason;
  /** null where the event is the missing one. */
  eventId: string | null;
  streamId: string | null;
  streamVersion: number | null;
  position: number | null;
  leafIndex?: number;
}

export interface VerificationReport {
  valid: boolean;
  events: number;
  streams: number;
  /** Sealed leaves checked against the latest signed checkpoint. */
  leaves: number;
  /** The failure at the smallest global position (a checkpoint mismatch, which has none, comes last). */
  firstInvalid?: ChainBreak;
}

const PAGE = 5000;

const breakAt = (event: StoredEvent, reason: ChainBreakReason): ChainBreak => ({
  reason, eventId: event.eventId, streamId: event.streamId, streamVersion: event.streamVersion, position: event.position,
});

/**
 * Re-verifies the ledger from the events alone: every hash and chain link (stream by stream), each
 * stream's last event against its head, and the transparency log: every sealed leaf against its
 * event's recomputed hash, no unsealed event in the sealed past, and the tree rebuilt from the
 * events against the latest signed checkpoint. An operator who rewrites a stream and recomputes its
 * hashes still cannot match a checkpoint that auditors and subscribers already hold.
 */
export class ChainVerifier {
  constructor(private readonly dataSource: DataSource) {}

  /** Without `checkpointKey`, the checkpoint's signature is not checked (its root still is). */
  async verifyAll(checkpointKey?: NoteVerifier): Promise<VerificationReport> {
    const breaks: ChainBreak[] = [];
    const chains = await this.verifyChains(breaks);
    breaks.push(...(await this.verifyHeads()));
    const leaves = await this.verifyTree(breaks, checkpointKey);
    const firstInvalid = breaks.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity))[0];
    return { valid: breaks.length === 0, ...chains, leaves, ...(firstInvalid ? { firstInvalid } : {}) };
  }

  /** The first break of each stream. */
  private async verifyChains(breaks: ChainBreak[]): Promise<{ events: number; streams: number }> {
    let events = 0;
    let streams = 0;
    let cursor: { streamId: string; version: number } = { streamId: '', version: 0 };
    let expectedPrev = GENESIS_HASH;
    let expectedVersion = 1;
    let broken = '';
    for (;;) {
      const rows: EventRow[] = await this.dataSource.query(
        `SELECT ${EVENT_COLUMNS} FROM events e
         WHERE (e.stream_id, e.stream_version) > ($1, $2)
         ORDER BY e.stream_id, e.stream_version LIMIT $3`,
        [cursor.streamId, cursor.version, PAGE],
      );
      for (const row of rows) {
        const event = toStoredEvent(row);
        if (event.streamId !== cursor.streamId) {
          streams += 1;
          expectedPrev = GENESIS_HASH;
          expectedVersion = 1;
        }
        events += 1;
        const reason = checkEvent(event, expectedPrev, expectedVersion);
        if (reason && broken !== event.streamId) {
          breaks.push(breakAt(event, reason));
          broken = event.streamId;
        }
        expectedPrev = event.hash;
        expectedVersion = event.streamVersion + 1;
        cursor = { streamId: event.streamId, version: event.streamVersion };
      }
      if (rows.length < PAGE) return { events, streams };
    }
  }

  /** Streams whose last event is not their head: a removed tail leaves the head pointing past it. */
  private async verifyHeads(): Promise<ChainBreak[]> {
    const rows: { stream_id: string; version: number; event_id: string | null }[] = await this.dataSource.query(
      `SELECT s.stream_id, s.version, last.event_id
       FROM streams s
       LEFT JOIN LATERAL (
         SELECT e.event_id, e.stream_version, e.hash FROM events e
         WHERE e.stream_id = s.stream_id ORDER BY e.stream_version DESC LIMIT 1
       ) last ON true
       WHERE s.version > 0 AND (last.stream_version IS DISTINCT FROM s.version OR last.hash IS DISTINCT FROM s.head_hash)`,
    );
    // The missing event's position is unknown (a sealed one is also reported, with it, as leaf_event_missing).
    return rows.map((row) => ({ reason: 'head_mismatch', eventId: row.event_id, streamId: row.stream_id, streamVersion: row.version, position: null }));
  }

  private async verifyTree(breaks: ChainBreak[], checkpointKey: NoteVerifier | undefined): Promise<number> {
    const query = (sql: string, params?: unknown[]) => this.dataSource.query(sql, params);
    const checkpoint = await LogCheckpoints.latest(query);
    const appender = new MerkleAppender(0, []);
    let leaves = 0;
    for (;;) {
      const rows: (EventRow & { leaf_index: string; leaf_event_id: string; leaf_position: string; leaf_hash: Buffer; event_id: string | null })[] =
        await this.dataSource.query(
          `SELECT l.leaf_index, l.event_id AS leaf_event_id, l.global_position AS leaf_position, s.hash AS leaf_hash, ${EVENT_COLUMNS}
           FROM log_leaves l
           JOIN log_subtrees s ON s.level = 0 AND s.index = l.leaf_index
           LEFT JOIN events e ON e.event_id = l.event_id
           WHERE l.leaf_index >= $1 ORDER BY l.leaf_index LIMIT $2`,
          [leaves, PAGE],
        );
      for (const row of rows) {
        const leafIndex = Number(row.leaf_index);
        if (leafIndex !== leaves) throw new Error(`log_leaves skips from ${leaves} to ${leafIndex}`);
        leaves += 1;
        if (row.event_id === null) {
          breaks.push({ reason: 'leaf_event_missing', eventId: row.leaf_event_id, streamId: null, streamVersion: null, position: Number(row.leaf_position), leafIndex });
          appender.append(row.leaf_hash);
          continue;
        }
        const event = toStoredEvent(row);
        const leaf = leafHash(Buffer.from(storedEventHash(event), 'hex'));
        if (!leaf.equals(row.leaf_hash)) breaks.push({ ...breakAt(event, 'leaf_mismatch'), leafIndex });
        else if (event.position !== Number(row.leaf_position)) breaks.push({ ...breakAt(event, 'leaf_order_mismatch'), leafIndex });
        appender.append(leaf);
        if (checkpoint && appender.size === checkpoint.treeSize) this.checkCheckpoint(breaks, checkpoint, appender.root(), checkpointKey);
      }
      if (rows.length < PAGE) break;
    }
    if (checkpoint && checkpoint.treeSize === 0) this.checkCheckpoint(breaks, checkpoint, appender.root(), checkpointKey);
    if (checkpoint && leaves < checkpoint.treeSize) {
      breaks.push({ reason: 'checkpoint_mismatch', eventId: null, streamId: null, streamVersion: null, position: null, leafIndex: leaves });
    }
    breaks.push(...(await this.unsealedPast()));
    return leaves;
  }

  private checkCheckpoint(
    breaks: ChainBreak[],
    checkpoint: { treeSize: number; rootHash: Buffer; note: string },
    rebuiltRoot: Buffer,
    key: NoteVerifier | undefined,
  ): void {
    let signed = checkpoint.rootHash;
    try {
      if (key) signed = parseCheckpoint(openNote(checkpoint.note, [key])).rootHash;
    } catch {
      signed = Buffer.alloc(0);
    }
    if (!signed.equals(rebuiltRoot) || !checkpoint.rootHash.equals(rebuiltRoot)) {
      breaks.push({ reason: 'checkpoint_mismatch', eventId: null, streamId: null, streamVersion: null, position: null, leafIndex: checkpoint.treeSize });
    }
  }

  /** An event that commit order puts before the last sealed one but that no leaf seals. */
  private async unsealedPast(): Promise<ChainBreak[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM events e
       WHERE NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.event_id = e.event_id)
         AND (e.transaction_id, e.global_position) <
             (SELECT l.transaction_id, l.global_position FROM log_leaves l ORDER BY l.leaf_index DESC LIMIT 1)
       ORDER BY e.global_position LIMIT 1`,
    );
    return rows.map((row) => breakAt(toStoredEvent(row), 'unsealed_event'));
  }
}

function checkEvent(event: StoredEvent, expectedPrev: string, expectedVersion: number): ChainBreakReason | null {
  if (event.streamVersion !== expectedVersion) return 'version_gap';
  if (event.prevHash !== expectedPrev) return 'prev_hash_mismatch';
  return storedEventHash(event) === event.hash ? null : 'hash_mismatch';
}
