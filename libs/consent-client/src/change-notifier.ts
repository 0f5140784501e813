import { ConsentClientLogger } from './client-logger';
import { ConsentChange, ConsentChangeListener } from './consent-change';

/**
 * Calls onChange listeners without making the consumer wait for them: a slow listener must not hold
 * back the next withdrawal on its way into the cache. Their promises are kept so stop() can let them finish.
 */
export class ChangeNotifier {
  private readonly listeners = new Set<ConsentChangeListener>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: ConsentClientLogger) {}

  /** Returns the function that removes the listener. */
  add(listener: ConsentChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  notify(change: ConsentChange): void {
    for (const listener of this.listeners) {
      const settled = Promise.resolve()
        .then(() => listener(change))
        .catch((error: unknown) => this.logger.error({ err: error, change }, 'consent-client: onChange listener failed'))
        .finally(() => this.pending.delete(settled));
      this.pending.add(settled);
    }
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }
}
