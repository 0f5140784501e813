import type { BenchReport } from './bench-report';
import type { FigureResult, Measure } from './figure-result';
import { significant } from './stats';

/** bench/results/latest.md, pasted as is into BENCHMARKS.md. */
export function markdownReport(report: BenchReport): string {
  const { machine } = report;
  const lines = [
    `Run of ${report.startedAt} (${report.mode}, ${Math.round(report.seconds)} s): ${machine.cpus} × ${machine.cpuModel}, ` +
      `${machine.memoryGiB} GiB, Node ${machine.node}, Postgres ${report.postgres.version} ` +
      `(${report.postgres.durable ? 'fsync on' : 'fsync off'}), load average ${machine.loadAverage.start.toFixed(2)} at start` +
      `${machine.loadAverage.end === undefined ? '' : `, ${machine.loadAverage.end.toFixed(2)} at end`}.`,
    '',
    '| Figure | Measure | Value | Baseline | Ratio | Target | Holds |',
    '|---|---|---:|---|---:|---|---|',
    ...report.figures.flatMap(figureRows),
  ];
  const notes = report.figures.filter((figure) => figure.note).map((figure) => `- **${figure.title}**: ${figure.note}`);
  if (notes.length > 0) lines.push('', ...notes);
  return `${lines.join('\n')}\n`;
}

function figureRows(figure: FigureResult): string[] {
  if (figure.status !== 'measured' || figure.measures.length === 0) {
    return [`| ${figure.title} | ${figure.status} | | | | | |`];
  }
  return figure.measures.map((m, i) => [
    i === 0 ? figure.title : '',
    m.label,
    `${formatNumber(m.value)} ${m.unit}`,
    m.baseline ? `${m.baseline.label}: ${formatNumber(m.baseline.value)} ${m.unit}` : '',
    m.ratio === undefined ? '' : m.ratio.toFixed(2),
    m.target ?? '',
    holdsCell(m),
  ].join(' | ').replace(/^/, '| ').replace(/$/, ' |'));
}

function holdsCell(m: Measure): string {
  if (m.holds === undefined) return '';
  return m.holds ? 'yes' : '**no**';
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return significant(value).toLocaleString('en-US', { maximumFractionDigits: 3 });
}
