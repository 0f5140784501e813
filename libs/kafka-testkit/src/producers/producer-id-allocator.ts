/** Hands out producer ids for InitProducerId, never one that a reloaded log already holds batches of. */
export class ProducerIdAllocator {
  private next: bigint;

  constructor(usedIds: Iterable<bigint>) {
    let highest = -1n;
    for (const id of usedIds) if (id > highest) highest = id;
    this.next = highest + 1n;
  }

  allocate(): bigint {
    return this.next++;
  }
}
