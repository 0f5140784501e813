import {
  SubtreeSource, consistencyProof, inclusionProof, rootHash, subtreeMap, subtreesRead,
} from '@consent-ledger/transparency-log';
import { SqlSession } from '../events/sql-session';
import { LogSubtrees } from './log-subtrees';

/**
 * Proofs over the stored tree: each computation first names the O(log n) subtrees it reads, which
 * are fetched in one query, so no request recomputes the tree.
 */
export class LogTree {
  constructor(private readonly query: SqlSession) {}

  private async run<T>(compute: (source: SubtreeSource) => T): Promise<T> {
    return compute(subtreeMap(await LogSubtrees.read(this.query, subtreesRead(compute))));
  }

  root(treeSize: number): Promise<Buffer> {
    return this.run((source) => rootHash(source, treeSize));
  }

  inclusion(leafIndex: number, treeSize: number): Promise<Buffer[]> {
    return this.run((source) => inclusionProof(source, leafIndex, treeSize));
  }

  consistency(from: number, to: number): Promise<Buffer[]> {
    return this.run((source) => consistencyProof(source, from, to));
  }
}
