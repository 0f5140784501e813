/** How a CoalescingQueue batches. */
export interface CoalescingOptions<Q, A> {
  /** Batches sent at once; an item arriving while they are all out waits for the next one. */
  maxInFlight: number;
  maxBatch: number;
  /** Answers the batch's items in their order. */
  send: (batch: Q[]) => Promise<A[]>;
  /** Whether `item` may travel with the items already in `batch` (default: always); if not, it waits for a later batch. */
  canJoin?: (item: Q, batch: readonly Q[]) => boolean;
  /**
   * Send new items only once the event loop has handled the I/O that was ready with theirs
   * (setImmediate), so that the requests parsed from one round of socket reads share a batch even at
   * low load. Items that waited for a batch to come back are still sent as soon as it does.
   */
  afterIoTurn?: boolean;
}

interface Waiting<Q, A> {
  item: Q;
  resolve: (answer: A) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent requests into batches: at low load each item is sent at once, alone; under load
 * the items that arrive while `maxInFlight` batches are out travel together in the next one (one round
 * trip, one plan, one commit for all of them). An item only ever joins a batch not yet sent, so its
 * answer is computed after it arrived.
 */
export class CoalescingQueue<Q, A> {
  private readonly waiting: Waiting<Q, A>[] = [];
  private inFlight = 0;
  private pumpScheduled = false;

  constructor(private readonly options: CoalescingOptions<Q, A>) {}

  submit(item: Q): Promise<A> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.options.afterIoTurn) this.pump();
      else if (!this.pumpScheduled) {
        this.pumpScheduled = true;
        setImmediate(() => {
          this.pumpScheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.take();
      this.inFlight += 1;
      this.options.send(batch.map((w) => w.item))
        .then(
          (answers) => batch.forEach((w, i) => w.resolve(answers[i])),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }

  /** The next batch, in arrival order, skipping the items that may not join it. */
  private take(): Waiting<Q, A>[] {
    const { canJoin, maxBatch } = this.options;
    if (!canJoin) return this.waiting.splice(0, maxBatch);
    const batch: Waiting<Q, A>[] = [];
    const items: Q[] = [];
    for (let i = 0; i < this.waiting.length && batch.length < maxBatch; ) {
      if (!canJoin(this.waiting[i].item, items)) {
        i += 1;
        continue;
      }
      const [next] = this.waiting.splice(i, 1);
      batch.push(next);
      items.push(next.item);
    }
    return batch;
  }
}
