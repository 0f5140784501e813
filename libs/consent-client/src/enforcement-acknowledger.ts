import { ConsentClientLogger } from './client-logger';
import { ledgerUrl } from './http-check';

export interface EnforcementAcknowledgerOptions {
  /** The registered processing service this process acknowledges for. */
  service: string;
  httpBaseUrl: string;
  /** An API key with the enforcements:write scope, bound to `service` or unbound. */
  apiKey: string;
  /** Acknowledgements sent in one request, at most 500. Default 100. */
  batchSize?: number;
  /** How long an acknowledgement waits for others to share its request. Default 5 ms. */
  lingerMs?: number;
  /** First retry delay, doubled on each failure up to maxRetryDelayMs. Defaults 200 and 30,000. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Beyond this many waiting acknowledgements the oldest are dropped (the ledger lists them as pending). Default 100,000. */
  maxQueued?: number;
  /** Timeout of one request. Default 5,000 ms. */
  timeoutMs?: number;
  logger: ConsentClientLogger;
}

interface QueuedAcknowledgement {
  eventId: string;
  enforcedAt: string;
}

/**
 * Tells the ledger, in the background, which denying events this service has enforced
 * (POST /v1/enforcements/batch). Acknowledgements queue up and leave in batches; a failed request is
 * retried with exponential backoff and jitter until the ledger answers, for as long as the process
 * lives. Nothing here is awaited by the consent path: isAllowed never waits for the ledger.
 */
export class EnforcementAcknowledger {
  private readonly queue = new Map<string, QueuedAcknowledgement>();
  private readonly settings: Required<Omit<EnforcementAcknowledgerOptions, 'logger'>> & { logger: ConsentClientLogger };
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  private failures = 0;
  private stopped = false;

  constructor(options: EnforcementAcknowledgerOptions) {
    this.settings = {
      batchSize: Math.min(500, Math.max(1, options.batchSize ?? 100)),
      lingerMs: options.lingerMs ?? 5,
      retryDelayMs: options.retryDelayMs ?? 200,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
      maxQueued: options.maxQueued ?? 100_000,
      timeoutMs: options.timeoutMs ?? 5_000,
      ...options,
    };
  }

  /** Acknowledgements waiting to be sent (or being sent). */
  get queued(): number {
    return this.queue.size;
  }

  /** Queues one acknowledgement; a second one for the same event while the first waits is dropped. */
  acknowledge(eventId: string, enforcedAt: Date): void {
    if (this.stopped || this.queue.has(eventId)) return;
    if (this.queue.size >= this.settings.maxQueued) {
      const oldest = this.queue.keys().next().value as string;
      this.queue.delete(oldest);
      this.settings.logger.warn({ eventId: oldest, service: this.settings.service }, 'consent-client: acknowledgement queue full; dropped the oldest');
    }
    this.queue.set(eventId, { eventId, enforcedAt: enforcedAt.toISOString() });
    this.schedule(this.settings.lingerMs);
  }

  /** Sends what is queued, waiting at most `timeoutMs`; what is left is given up (the ledger shows it as pending). */
  async stop(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.size > 0 && Date.now() < deadline && !this.stopped) {
      if (this.timer !== null) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      const sent = this.sending ?? this.sendBatch();
      await Promise.race([sent, new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())]);
      if (this.failures > 0) break;
    }
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.queue.size > 0) {
      this.settings.logger.warn({ service: this.settings.service, unsent: this.queue.size }, 'consent-client: stopped with acknowledgements unsent');
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null || this.sending !== null || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.sendBatch();
    }, delayMs);
    // Acknowledging must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  private sendBatch(): Promise<void> {
    const batch = [...this.queue.values()].slice(0, this.settings.batchSize);
    this.sending = this.post(batch).finally(() => {
      this.sending = null;
      if (this.queue.size === 0) return;
      this.schedule(this.failures === 0 ? 0 : this.backoff());
    });
    return this.sending;
  }

  private async post(batch: QueuedAcknowledgement[]): Promise<void> {
    const { service, apiKey, httpBaseUrl, timeoutMs, logger } = this.settings;
    let status: number | undefined;
    let body: unknown = null;
    try {
      const response = await fetch(ledgerUrl(httpBaseUrl, 'v1/enforcements/batch'), {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ service, acknowledgements: batch }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      body = await response.json().catch(() => null);
    } catch (error) {
      this.failed(batch.length, { err: error });
      return;
    }
    if (status === 200) {
      this.failures = 0;
      for (const { eventId } of batch) this.queue.delete(eventId);
      const rejected = (body as { rejected?: unknown[] } | null)?.rejected ?? [];
      if (rejected.length > 0) logger.warn({ service, rejected }, 'consent-client: the ledger refused some acknowledgements');
      return;
    }
    if (isWorthRetrying(status)) {
      this.failed(batch.length, { status, detail: (body as { detail?: unknown } | null)?.detail });
      return;
    }
    // The request itself is wrong (a malformed event id from a bad record): sending it again cannot help.
    this.failures = 0;
    for (const { eventId } of batch) this.queue.delete(eventId);
    logger.error({ service, status, detail: (body as { detail?: unknown } | null)?.detail, dropped: batch.length }, 'consent-client: acknowledgements refused; dropped');
  }

  private failed(size: number, details: object): void {
    this.failures += 1;
    this.settings.logger.warn(
      { ...details, service: this.settings.service, batch: size, attempt: this.failures },
      'consent-client: acknowledging enforcement failed; will retry',
    );
  }

  /** Full jitter over an exponentially growing ceiling, so many clients do not retry in step. */
  private backoff(): number {
    const ceiling = Math.min(this.settings.maxRetryDelayMs, this.settings.retryDelayMs * 2 ** Math.min(this.failures - 1, 20));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }
}

/**
 * Outages and overload pass; so do a key not yet granted the scope or a service not yet registered
 * (401, 403, 422), which an operator fixes without restarting the subscriber.
 */
const isWorthRetrying = (status: number): boolean =>
  status >= 500 || status === 408 || status === 429 || status === 401 || status === 403 || status === 422;
