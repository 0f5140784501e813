import { EMPTY_ROOT, nodeHash } from './merkle-hash';
import { StoredSubtree, frontierKeys } from './subtree';

/**
 * Grows a tree one leaf at a time from its right edge (the complete subtrees of frontierKeys(size)),
 * yielding every complete subtree each leaf completes, so the log can store them as it seals.
 */
export class MerkleAppender {
  private readonly edge: StoredSubtree[];

  constructor(
    private treeSize: number,
    edge: StoredSubtree[],
  ) {
    const expected = frontierKeys(treeSize);
    if (edge.length !== expected.length || edge.some((s, i) => s.level !== expected[i].level || s.index !== expected[i].index)) {
      throw new Error(`the right edge given does not match a tree of size ${treeSize}`);
    }
    this.edge = [...edge];
  }

  get size(): number {
    return this.treeSize;
  }

  /** MTH of the tree so far: its right edge folded from the right. */
  root(): Buffer {
    if (this.edge.length === 0) return EMPTY_ROOT;
    return this.edge.slice(0, -1).reduceRight((right, left) => nodeHash(left.hash, right), this.edge[this.edge.length - 1].hash);
  }

  /** Adds a leaf hash; returns the subtrees it completes, the leaf itself (level 0) first. */
  append(leaf: Buffer): StoredSubtree[] {
    let current: StoredSubtree = { level: 0, index: this.treeSize, hash: leaf };
    const completed = [current];
    while (current.index % 2 === 1) {
      const left = this.edge.pop() as StoredSubtree;
      current = { level: current.level + 1, index: (current.index - 1) / 2, hash: nodeHash(left.hash, current.hash) };
      completed.push(current);
    }
    this.edge.push(current);
    this.treeSize += 1;
    return completed;
  }
}
