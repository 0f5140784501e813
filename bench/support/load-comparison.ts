import { Measure, measure } from './figure-result';
import { LoadResult } from './http-load';
import { median } from './stats';

/** A load figure's rounds: the subject and its baseline, measured alternately. */
export interface LoadComparison {
  subject: LoadResult[];
  baseline: LoadResult[];
}

/**
 * Runs baseline then subject, `rounds` times. Alternating, rather than all of one then all of the
 * other, spreads whatever else the shared machine does over both, so their ratio stays meaningful.
 */
export async function alternateRounds(
  rounds: number,
  runBaseline: () => Promise<LoadResult>,
  runSubject: (round: number) => Promise<LoadResult>,
  log: (round: number, subject: LoadResult, baseline: LoadResult) => void,
): Promise<LoadComparison> {
  const comparison: LoadComparison = { subject: [], baseline: [] };
  for (let round = 0; round < rounds; round++) {
    comparison.baseline.push(await runBaseline());
    comparison.subject.push(await runSubject(round));
    log(round, comparison.subject[round], comparison.baseline[round]);
  }
  return comparison;
}

export interface LoadMeasureLabels {
  throughput: string;
  unit: string;
  baseline: string;
  /** The target: subject throughput at least this share of the baseline's. */
  minRatio: number;
  /** A p99 target, when the figure has one. */
  maxP99Ms?: number;
}

/** Median throughput, p50 and p99 of the rounds, each beside the baseline's. */
export function loadMeasures({ subject, baseline }: LoadComparison, labels: LoadMeasureLabels): Measure[] {
  const of = (results: LoadResult[], key: keyof LoadResult) => median(results.map((r) => r[key]));
  const beside = (key: keyof LoadResult) => ({ label: labels.baseline, value: of(baseline, key) });
  const perSecond = of(subject, 'perSecond');
  const p99 = of(subject, 'p99Ms');
  return [
    measure(labels.throughput, perSecond, labels.unit, {
      baseline: beside('perSecond'),
      target: `≥ ${labels.minRatio} × ${labels.baseline}`,
      holds: perSecond >= labels.minRatio * of(baseline, 'perSecond'),
    }),
    measure('p50 latency', of(subject, 'p50Ms'), 'ms', { baseline: beside('p50Ms') }),
    measure('p99 latency', p99, 'ms', {
      baseline: beside('p99Ms'),
      ...(labels.maxP99Ms === undefined ? {} : { target: `≤ ${labels.maxP99Ms} ms`, holds: p99 <= labels.maxP99Ms }),
    }),
  ];
}

/** Per-round throughput and p99, for the JSON report. */
export function roundsOf({ subject, baseline }: LoadComparison): Record<string, number[]> {
  return {
    perSecond: subject.map((r) => r.perSecond),
    baselinePerSecond: baseline.map((r) => r.perSecond),
    p99Ms: subject.map((r) => r.p99Ms),
    baselineP99Ms: baseline.map((r) => r.p99Ms),
  };
}
