import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A colour per event type, distinguishable and readable on white (WCAG non-text contrast 3:1). */
const COLOURS = ['#1f5fa8', '#b3261e', '#2e7d32', '#8e4ec6', '#b35c00', '#00695c', '#5d4037', '#37474f'];
/** Dash patterns too, so that series with equal counts stay visible on top of each other. */
const DASHES: (number[] | undefined)[] = [undefined, [8, 4], [2, 3], [12, 3, 2, 3]];

export interface DailySeries {
  /** Day starts, seconds since the epoch (uPlot's x unit). */
  days: number[];
  series: { label: string; counts: number[] }[];
}

export function EventsChart({ data, title }: { data: DailySeries; title: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const width = Math.max(320, container.current.clientWidth);
    const plot = new uPlot(
      {
        title, width, height: 280,
        scales: { x: { time: true } },
        axes: [{}, { label: '/ day' }],
        series: [{}, ...data.series.map((s, i) => ({
          label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2, dash: DASHES[i % DASHES.length],
          points: { show: true, size: 5 + 2 * (i % 3) },
        }))],
      },
      [data.days, ...data.series.map((s) => s.counts)],
      container.current,
    );
    return () => plot.destroy();
  }, [data, title]);
  return <div ref={container} class="chart" role="img" aria-label={title} />;
}
