import { cpus, loadavg, totalmem } from 'node:os';
import type { BenchOptions } from './bench-options';
import type { FigureResult } from './figure-result';

/** Everything one run measured, as written to bench/results/latest.json. */
export interface BenchReport {
  mode: 'full' | 'quick';
  startedAt: string;
  seconds: number;
  machine: MachineInfo;
  postgres: { version: string; durable: boolean };
  figures: FigureResult[];
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  /** 1-minute load average at start and end: how busy the shared machine was around the run. */
  loadAverage: { start: number; end?: number };
}

export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: { start: loadavg()[0] },
  };
}

export function newReport(options: BenchOptions, startedAt: Date, postgresVersion: string): BenchReport {
  return {
    mode: options.quick ? 'quick' : 'full',
    startedAt: startedAt.toISOString(),
    seconds: 0,
    machine: machineInfo(),
    postgres: { version: postgresVersion, durable: options.durable },
    figures: [],
  };
}
