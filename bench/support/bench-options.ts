export const FIGURE_IDS = ['single-check', 'check-production', 'memory', 'bulk-check', 'append', 'sdk', 'replay', 'propagation', 'enforcement', 'sealing'] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

/** How big and how long: the full run reproduces BENCHMARKS.md, --quick only proves the bench still works. */
export interface BenchSizes {
  /** Each load figure alternates baseline and subject this many times and reports medians, so drift on a shared machine hits both alike. */
  rounds: number;
  /** Seconds of load per round. */
  loadSeconds: number;
  /** Seconds of load before the first round, for the JIT and the connection pools. */
  warmupSeconds: number;
  checkConnections: number;
  appendConnections: number;
  /** (subject, purpose) rows in consent_state behind the check figures. */
  stateRows: number;
  bulkIds: number;
  bulkRequests: number;
  propagationSamples: number;
  sdkEntries: number;
  sdkCalls: number;
  replayEvents: number;
  /** Events timed one at a time from their 201 to a signed checkpoint that includes them. */
  sealingSamples: number;
}

export interface BenchOptions {
  quick: boolean;
  /** Figures to run; all when --only is absent. */
  figures: readonly FigureId[];
  /** Writes V8 CPU profiles of the service (--cpu-prof) and prints where its time goes. */
  profile: boolean;
  /** Postgres with fsync on, as in production; --no-durable measures the CPU cost alone. */
  durable: boolean;
  sizes: BenchSizes;
}

const FULL: BenchSizes = {
  rounds: 3,
  loadSeconds: 10,
  warmupSeconds: 3,
  checkConnections: 64,
  appendConnections: 32,
  stateRows: 1_000_000,
  bulkIds: 10_000,
  bulkRequests: 30,
  propagationSamples: 200,
  sdkEntries: 1_000_000,
  sdkCalls: 2_000_000,
  replayEvents: 1_000_000,
  sealingSamples: 100,
};

const QUICK: BenchSizes = {
  rounds: 1,
  loadSeconds: 2,
  warmupSeconds: 1,
  checkConnections: 64,
  appendConnections: 32,
  stateRows: 50_000,
  bulkIds: 10_000,
  bulkRequests: 5,
  propagationSamples: 20,
  sdkEntries: 50_000,
  sdkCalls: 500_000,
  replayEvents: 20_000,
  sealingSamples: 10,
};

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const only = value('only')?.split(',');
  const unknown = only?.filter((id) => !(FIGURE_IDS as readonly string[]).includes(id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown figure(s) ${unknown.join(', ')}; known: ${FIGURE_IDS.join(', ')}`);
  const sizes = { ...(quick ? QUICK : FULL) };
  // For profiling one load longer, or repeating it more, without editing the sizes.
  const seconds = value('seconds');
  const rounds = value('rounds');
  if (seconds !== undefined) sizes.loadSeconds = positiveInteger('seconds', seconds);
  if (rounds !== undefined) sizes.rounds = positiveInteger('rounds', rounds);
  return {
    quick,
    figures: only ? FIGURE_IDS.filter((id) => only.includes(id)) : FIGURE_IDS,
    profile: argv.includes('--profile'),
    durable: !argv.includes('--no-durable'),
    sizes,
  };
}

function positiveInteger(name: string, text: string): number {
  const parsed = Number(text);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return parsed;
}
