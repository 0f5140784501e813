import 'reflect-metadata';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { append } from './figures/append';
import { bulkCheck } from './figures/bulk-check';
import { checkProduction } from './figures/check-production';
import { enforcement } from './figures/enforcement';
import { memory } from './figures/memory';
import { propagation } from './figures/propagation';
import { replay } from './figures/replay';
import { sealing } from './figures/sealing';
import { sdk } from './figures/sdk';
import { singleCheck } from './figures/single-check';
import { runBareServer } from './roles/bare-server';
import { KafkaBrokerReady, runKafkaBroker } from './roles/kafka-broker';
import { BenchContext } from './support/bench-context';
import { updateBenchmarksDoc } from './support/benchmarks-doc';
import { BenchOptions, FigureId, parseBenchOptions } from './support/bench-options';
import { startBenchPostgres } from './support/bench-postgres';
import { newReport } from './support/bench-report';
import { ROLE_FLAG, RoleProcess } from './support/child-role';
import { Figure } from './support/figure';
import { FigureResult } from './support/figure-result';
import { markdownReport } from './support/markdown-table';
import { formatProfileSummary, summarizeProfile } from './support/profile-summary';
import { RESULTS_DIR, writeReportFiles } from './support/report-files';
import { ServiceProcess } from './support/service-process';
import { StateFixture, seedConsentState } from './support/state-fixture';
import { elapsedMs } from './support/stats';

/** In run order: the cheap HTTP figures on a fresh service first, the heavy fixtures last. */
const FIGURES: readonly Figure[] = [singleCheck, checkProduction, memory, bulkCheck, append, sdk, replay, propagation, enforcement, sealing];
const NEEDS_STATE_FIXTURE: ReadonlySet<FigureId> = new Set(['single-check', 'check-production', 'memory', 'bulk-check', 'append']);

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/**
 * `npm run bench [-- --quick] [-- --only=single-check,append] [-- --profile] [-- --no-durable]`:
 * starts a throwaway Postgres and Kafka broker, runs each figure beside its baseline, and writes
 * bench/results/latest.{json,md} (quick.* and partial.* for quick and --only runs).
 */
async function runBench(options: BenchOptions): Promise<number> {
  const startedAt = new Date();
  const started = process.hrtime.bigint();
  const stops: (() => Promise<void>)[] = [];
  let failed = 0;
  try {
    const postgres = await startBenchPostgres(options.durable, log);
    stops.unshift(() => postgres.stop());
    const broker = await RoleProcess.fork<KafkaBrokerReady>('kafka-broker');
    stops.unshift(() => broker.stop());

    const ledgerUrl = await postgres.createLedgerDatabase('bench_ledger');
    let fixture: StateFixture = { subjects: 0, rows: 0 };
    if (options.figures.some((id) => NEEDS_STATE_FIXTURE.has(id))) {
      const seedStart = process.hrtime.bigint();
      fixture = await seedConsentState(ledgerUrl, options.sizes.stateRows);
      log(`seeded ${fixture.rows.toLocaleString('en-US')} state rows in ${(elapsedMs(seedStart) / 1000).toFixed(1)} s`);
    }

    const profileDir = options.profile ? join(RESULTS_DIR, 'profiles') : undefined;
    if (profileDir) await mkdir(profileDir, { recursive: true });
    let current: FigureId = options.figures[0];
    let shared: ServiceProcess | undefined;
    const startService: BenchContext['startService'] = ({ databaseUrl, relay, name, env }) =>
      ServiceProcess.start({ databaseUrl, relay, env, kafkaBrokers: broker.ready.address, profileDir, profileName: name });
    const context: BenchContext = {
      options,
      postgres,
      kafkaBrokers: broker.ready.address,
      ledger: { url: ledgerUrl, fixture },
      service: async () => (shared ??= await startService({ databaseUrl: ledgerUrl, relay: false, name: current })),
      startService,
      log,
    };
    stops.unshift(async () => shared?.stop());

    const report = newReport(options, startedAt, postgres.version);
    const reportName = options.quick ? 'quick' : options.figures.length < FIGURES.length ? 'partial' : 'latest';
    for (const figure of FIGURES.filter((f) => options.figures.includes(f.id))) {
      current = figure.id;
      log(`${figure.id}…`);
      const result = await runFigure(figure, context);
      if (result.status === 'failed') {
        failed++;
        if (shared) log(`the service's last output:\n${shared.recentOutput()}`);
      }
      log(`${figure.id}: ${result.status} in ${result.seconds.toFixed(0)} s${result.note && result.status !== 'measured' ? ` (${result.note})` : ''}`);
      report.figures.push(result);
      report.seconds = elapsedMs(started) / 1000;
      report.machine.loadAverage.end = loadavg()[0];
      await writeReportFiles(report, reportName);
      // With --profile each figure gets a service, and so a profile, of its own.
      if (profileDir && shared) {
        await shared.stop();
        shared = undefined;
        await printProfile(join(profileDir, `${figure.id}.cpuprofile`));
      }
    }
    const files = await writeReportFiles(report, reportName);
    const documented = reportName === 'latest' && (await updateBenchmarksDoc(markdownReport(report)));
    log(`\n${markdownReport(report)}\nwritten: ${files.json}, ${files.markdown}${documented ? ', BENCHMARKS.md' : ''}`);
  } finally {
    for (const stop of stops) await stop().catch((error) => log(`cleanup: ${error}`));
  }
  return failed === 0 ? 0 : 1;
}

/** A figure that throws is reported as failed and the run goes on: one broken figure must not hide the others. */
async function runFigure(figure: Figure, context: BenchContext): Promise<FigureResult> {
  const start = process.hrtime.bigint();
  const base = { id: figure.id, title: figure.title };
  try {
    const { skipped, ...measured } = await figure.run(context);
    const seconds = elapsedMs(start) / 1000;
    if (skipped !== undefined) return { ...base, status: 'skipped', note: skipped, measures: [], seconds };
    return { ...base, status: 'measured', ...measured, seconds };
  } catch (error) {
    const note = error instanceof Error ? error.message : String(error);
    log(`${figure.id} failed: ${error instanceof Error ? error.stack : note}`);
    return { ...base, status: 'failed', note, measures: [], seconds: elapsedMs(start) / 1000 };
  }
}

async function printProfile(path: string): Promise<void> {
  try {
    log(`profile ${path}\n${formatProfileSummary(await summarizeProfile(path))}`);
  } catch (error) {
    log(`no profile at ${path}: ${error}`);
  }
}

async function runRole(role: string | undefined, args: string[]): Promise<void> {
  if (role === 'bare-server') return runBareServer(args[0] ?? '{}');
  if (role === 'kafka-broker') return runKafkaBroker(args);
  throw new Error(`unknown role ${role}`);
}

if (process.argv[2] === ROLE_FLAG) {
  runRole(process.argv[3], process.argv.slice(4)).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  });
} else {
  runBench(parseBenchOptions(process.argv.slice(2))).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : error}\n`);
      process.exit(1);
    },
  );
}
