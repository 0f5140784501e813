import type { FigureId } from './bench-options';

/** One number of a figure, with the baseline measured beside it in the same run. */
export interface Measure {
  label: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number };
  /** value / baseline: on a shared machine the ratio is the figure to read, the absolute value only an indication. */
  ratio?: number;
  /** The target, in words, and whether this run met it. */
  target?: string;
  holds?: boolean;
}

export interface FigureResult {
  id: FigureId;
  title: string;
  /** skipped: a component it needs does not exist yet; failed: it threw (the message is in note). */
  status: 'measured' | 'skipped' | 'failed';
  note?: string;
  measures: Measure[];
  /** Per-round numbers behind the medians, kept in the JSON for anyone doubting a median. */
  rounds?: Record<string, number[]>;
  seconds: number;
}

export interface MeasureOptions {
  baseline?: { label: string; value: number };
  target?: string;
  holds?: boolean;
}

export function measure(label: string, value: number, unit: string, options: MeasureOptions = {}): Measure {
  const { baseline, target, holds } = options;
  return {
    label,
    value,
    unit,
    ...(baseline ? { baseline, ratio: value / baseline.value } : {}),
    ...(target !== undefined ? { target, holds } : {}),
  };
}
