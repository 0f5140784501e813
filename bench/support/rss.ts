import { readFileSync } from 'node:fs';

/** Resident set size of a process, in bytes, from /proc (Linux): what the OS charges the service, heap or not. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Samples a process' RSS every `intervalMs` until stopped; returns the samples. */
export function sampleRss(pid: number, intervalMs = 200): { stop(): number[] } {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(rssBytes(pid)), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}
