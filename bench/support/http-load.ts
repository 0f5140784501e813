import autocannon from 'autocannon';
import { percentile } from './stats';

export interface HttpLoad {
  url: string;
  connections: number;
  seconds: number;
  requests: autocannon.Request[];
  /** A fixed rate (requests per second) instead of as fast as answered: latency without queueing. */
  rate?: number;
}

export interface LoadResult {
  /** Successful (2xx) responses per second. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  failed: number;
}

/**
 * Load with autocannon: `connections` clients, each sending its next request when the previous
 * one is answered (closed loop), or paced to `rate` requests per second in all. Latencies are collected from every response at full resolution rather
 * than from autocannon's histogram, which rounds to whole milliseconds. Any non-2xx answer fails
 * the measurement: a fast error is not a fast check.
 */
export function runHttpLoad(load: HttpLoad): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const failures = new Map<number, number>();
    const instance = autocannon(
      {
        url: load.url, connections: load.connections, duration: load.seconds, requests: load.requests, timeout: 30,
        ...(load.rate === undefined ? {} : { overallRate: load.rate }),
      },
      (error, result) => {
        if (error) return reject(error);
        const failed = result.non2xx + result.errors + result.timeouts;
        if (failed > 0) {
          const codes = [...failures].map(([code, count]) => `${count}× ${code}`).join(', ');
          return reject(new Error(`${failed} of ${failed + result['2xx']} requests failed (${codes || `${result.errors} socket errors`})`));
        }
        resolve({
          perSecond: result['2xx'] / result.duration,
          p50Ms: percentile(latencies, 0.5),
          p99Ms: percentile(latencies, 0.99),
          ok: result['2xx'],
          failed,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
      else failures.set(statusCode, (failures.get(statusCode) ?? 0) + 1);
    });
  });
}
