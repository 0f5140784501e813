import { ConsentClientLogger } from './client-logger';
import { ConsentChange, ConsentChangeListener } from './consent-change';

/**
 * Calls onChange listeners without making the consumer wait for them: a slow listener must not hold
 * back the next withdrawal on its way into the cache. Their promises are kept so stop() can let them finish.
 */
export class ChangeNotifier {
  private readonly listeners = new Set<ConsentChangeListener>();
  private readonly pending = new Set<Promise<boolean>>();

  constructor(private readonly logger: ConsentClientLogger) {}

  /** Returns the function that removes the listener. */
  add(listener: ConsentChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Resolves once every listener has returned: true when none failed. */
  notify(change: ConsentChange): Promise<boolean> {
    const calls: Promise<boolean>[] = [];
    for (const listener of this.listeners) {
      const settled: Promise<boolean> = Promise.resolve()
        .then(() => listener(change))
        .then(
          () => true,
          (error: unknown) => {
            this.logger.error({ err: error, change }, 'consent-client: onChange listener failed');
            return false;
          },
        )
        .finally(() => this.pending.delete(settled));
      this.pending.add(settled);
      calls.push(settled);
    }
    return Promise.all(calls).then((results) => results.every(Boolean));
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }
}
