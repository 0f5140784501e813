/** A partition's offsets as kafkajs' admin.fetchTopicOffsets reports them. */
export interface PartitionOffsets {
  partition: number;
  low: string;
  high: string;
}

/**
 * Tracks the bootstrap read of consent.state.v1 up to the high watermarks taken at start: once every
 * partition has been read that far, the cache holds at least the state of that instant.
 */
export class StateCatchUp {
  /** Partition to the offset it still has to reach. */
  private readonly remaining = new Map<number, bigint>();

  constructor(offsets: readonly PartitionOffsets[]) {
    for (const { partition, low, high } of offsets) {
      if (BigInt(high) > BigInt(low)) this.remaining.set(partition, BigInt(high));
    }
  }

  get done(): boolean {
    return this.remaining.size === 0;
  }

  /** Records that the partition has been read up to nextOffset (exclusive); true when that completes the catch-up. */
  advance(partition: number, nextOffset: bigint): boolean {
    const target = this.remaining.get(partition);
    if (target === undefined || nextOffset < target) return false;
    this.remaining.delete(partition);
    return this.remaining.size === 0;
  }
}
