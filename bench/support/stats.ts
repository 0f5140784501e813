/** The value below which a fraction `p` (0..1) of the samples lie, nearest-rank on a sorted copy. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank];
}

export const median = (samples: readonly number[]): number => percentile(samples, 0.5);

/** Nanoseconds elapsed since `start` (a process.hrtime.bigint() reading), as a number. */
export const elapsedNs = (start: bigint): number => Number(process.hrtime.bigint() - start);

export const elapsedMs = (start: bigint): number => elapsedNs(start) / 1e6;

/** Rounds to 3 significant digits: more would claim a precision a shared machine does not give. */
export function significant(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(3));
}
