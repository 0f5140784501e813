import { MerkleAppender, StoredSubtree, frontierKeys, leafHash, verifyConsistency } from '@consent-ledger/transparency-log';
import { EventStore } from '../events/event-store';
import { SqlSession } from '../events/sql-session';
import { LogCheckpoints, StoredCheckpoint } from './log-checkpoints';
import { LogLeaf, LogLeaves } from './log-leaves';
import { LogSubtrees } from './log-subtrees';
import { LogTree } from './log-tree';

/** Signs the checkpoint of a tree size and root: returns the signed note. */
export type CheckpointSigner = (treeSize: number, rootHash: Buffer) => string;

export type SealOutcome =
  /** Another instance holds the sealer's lock. */
  | { role: 'standby' }
  /** checkpoint: the one signed by this call, if the tree grew (or the empty log had none). */
  | { role: 'active'; treeSize: number; checkpoint: StoredCheckpoint | null };

export interface SealerStatus {
  /** Log positions not yet sealed (approximate: positions have gaps). */
  lag: number;
  /** Size of the tree of the latest signed checkpoint. */
  treeSize: number;
  checkpointSignedAt: string | null;
}

const READ_BATCH = 2_000;
/** Bounds one transaction; the next call continues. */
const MAX_EVENTS_PER_SEAL = 50_000;

/**
 * Seals committed events into the transparency log: each gets the next leaf index in commit order,
 * read with EventStore.readAll's rule (below the snapshot's xmin), so a transaction still running can
 * never precede an event already sealed. The leaves, the subtrees they complete and the signed
 * checkpoint are written in one transaction under a transaction-level advisory lock: two sealers
 * never interleave, and a sealer that dies leaves nothing half-written. Before signing, the new tree
 * is proven consistent with the latest checkpoint: the log never signs two inconsistent checkpoints.
 */
export class LogSealer {
  constructor(private readonly store: EventStore) {}

  /** How far sealing is behind the log: the head position, the last sealed event's, and the latest checkpoint. */
  async status(): Promise<SealerStatus> {
    const [headPosition, { sealedPosition, latest }] = await Promise.all([
      this.store.headPosition(),
      this.store.transaction(async (query) => ({
        sealedPosition: (await LogLeaves.last(query))?.position ?? 0,
        latest: await LogCheckpoints.latest(query),
      })),
    ]);
    return { lag: Math.max(0, headPosition - sealedPosition), treeSize: latest?.treeSize ?? 0, checkpointSignedAt: latest?.signedAt ?? null };
  }

  async seal(sign: CheckpointSigner): Promise<SealOutcome> {
    return this.store.transaction(async (query) => {
      const [lock] = await query<{ locked: boolean }>(
        `SELECT pg_try_advisory_xact_lock(hashtextextended('consent-ledger.sealer', 0)) AS locked`,
      );
      if (!lock?.locked) return { role: 'standby' };
      const last = await LogLeaves.last(query);
      const size = last ? last.leafIndex + 1 : 0;
      const appender = new MerkleAppender(size, await LogSubtrees.read(query, frontierKeys(size)));
      let after = last?.position ?? 0;
      while (appender.size - size < MAX_EVENTS_PER_SEAL) {
        const events = await this.store.readAll(after, READ_BATCH);
        if (events.length === 0) break;
        const leaves: LogLeaf[] = [];
        const subtrees: StoredSubtree[] = [];
        for (const event of events) {
          leaves.push({ leafIndex: appender.size, eventId: event.eventId, position: event.position });
          subtrees.push(...appender.append(leafHash(Buffer.from(event.hash, 'hex'))));
        }
        await LogLeaves.insert(query, leaves);
        await LogSubtrees.insert(query, subtrees);
        after = events[events.length - 1].position;
        if (events.length < READ_BATCH) break;
      }
      const latest = await LogCheckpoints.latest(query);
      if (latest && latest.treeSize === appender.size) return { role: 'active', treeSize: appender.size, checkpoint: null };
      const rootHash = appender.root();
      if (latest) await assertConsistent(query, latest, appender.size, rootHash);
      const checkpoint = { treeSize: appender.size, rootHash, note: sign(appender.size, rootHash) };
      await LogCheckpoints.insert(query, checkpoint);
      return { role: 'active', treeSize: appender.size, checkpoint: { ...checkpoint, signedAt: new Date().toISOString() } };
    });
  }
}

async function assertConsistent(query: SqlSession, latest: StoredCheckpoint, treeSize: number, rootHash: Buffer): Promise<void> {
  const proof = await new LogTree(query).consistency(latest.treeSize, treeSize);
  if (!verifyConsistency(latest.treeSize, treeSize, latest.rootHash, rootHash, proof)) {
    throw new Error(`refusing to sign: the tree of size ${treeSize} is not consistent with the checkpoint of size ${latest.treeSize}`);
  }
}
