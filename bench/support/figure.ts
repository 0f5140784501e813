import type { FigureId } from './bench-options';
import type { BenchContext } from './bench-context';
import type { Measure } from './figure-result';

/** What a figure hands back; run.ts adds its id, title, status and duration. */
export interface FigureMeasurement {
  measures: Measure[];
  rounds?: Record<string, number[]>;
  note?: string;
  /** Set instead of measures when a component the figure needs does not exist yet: why. */
  skipped?: string;
}

export interface Figure {
  id: FigureId;
  title: string;
  run(context: BenchContext): Promise<FigureMeasurement>;
}
