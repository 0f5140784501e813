import { existsSync } from 'node:fs';
import { readdir, readFile, readlink, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A live (non-zombie) process whose working directory is the cluster's data directory. */
interface ClusterProcess {
  pid: number;
  ppid: number;
}

const PROC = '/proc';
const POLL_MS = 50;
/** Fast shutdown (SIGINT) checkpoints first; generous so a busy cluster is not escalated needlessly. */
const FAST_SHUTDOWN_MS = 20_000;
/** Immediate shutdown (SIGQUIT) and backends noticing their postmaster died are near-instant. */
const QUICK_EXIT_MS = 5_000;

/**
 * Makes sure a leftover `postmaster.pid` cannot block starting the cluster in `dataDir`.
 *
 * Postgres itself discards a lock file only when `kill(pid, 0)` fails. That is not enough here:
 * - a postmaster killed with SIGKILL stays a zombie while its parent does not reap it (common when
 *   PID 1 of a container or VM is not a real init), and a zombie still passes `kill(pid, 0)`;
 * - after a container restart the recorded pid often belongs to an unrelated process;
 * - when only the owning Node process is killed (kill -9, OOM), its postmaster keeps running,
 *   orphaned, holding the directory forever.
 * Postgres always runs with the data directory as its working directory, so /proc tells exactly
 * which processes still use this cluster: none means the lock is stale and is removed; an orphaned
 * postmaster (its parent gone) is shut down cleanly first; a postmaster whose parent is alive
 * belongs to someone else and is left alone with an error.
 *
 * Without /proc (macOS) this does nothing and Postgres' own dead-pid check applies.
 */
export async function releaseStalePostmasterLock(dataDir: string, log: (line: string) => void): Promise<void> {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  const lockedPid = await readLockedPid(lockFile);
  if (lockedPid === undefined || !existsSync(path.join(PROC, 'self', 'stat'))) {
    return;
  }
  const clusterDir = await realpath(dataDir);
  const postmaster = (await clusterProcesses(clusterDir)).find((p) => p.pid === lockedPid);
  if (postmaster) {
    if (postmaster.ppid !== 1 && (await isAlive(postmaster.ppid))) {
      throw new Error(
        `Postgres (pid ${postmaster.pid}, started by pid ${postmaster.ppid}) is already running on ${dataDir}; ` +
          'stop that process or use another data directory',
      );
    }
    log(`stopping orphaned postgres (pid ${postmaster.pid}) left running on ${dataDir} by a killed process`);
    await stopOrphan(postmaster.pid, clusterDir);
  }
  // Backends of a postmaster that was killed outright exit on their own once they notice.
  const stragglers = await waitForNoClusterProcesses(clusterDir, QUICK_EXIT_MS);
  if (stragglers.length > 0) {
    throw new Error(`postgres processes ${stragglers.map((p) => p.pid).join(', ')} still use ${dataDir}`);
  }
  if (existsSync(lockFile)) {
    log(`removing stale ${lockFile} (pid ${lockedPid} is not a postgres running on it)`);
    await rm(lockFile, { force: true });
  }
}

/** The pid on the first line; NaN for an empty or torn file (also stale); undefined when absent. */
async function readLockedPid(lockFile: string): Promise<number | undefined> {
  try {
    const content = await readFile(lockFile, 'utf8');
    return Number.parseInt(content.split('\n', 1)[0] ?? '', 10);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

async function stopOrphan(pid: number, clusterDir: string): Promise<void> {
  // SIGINT = fast shutdown: sessions are aborted, but a checkpoint is written, so no recovery is needed.
  signal(pid, 'SIGINT');
  if ((await waitForNoClusterProcesses(clusterDir, FAST_SHUTDOWN_MS)).length === 0) {
    return;
  }
  // SIGQUIT = immediate shutdown: the next start replays WAL, which is safe with fsync on.
  signal(pid, 'SIGQUIT');
  if ((await waitForNoClusterProcesses(clusterDir, QUICK_EXIT_MS)).length > 0) {
    throw new Error(`orphaned postgres (pid ${pid}) on ${clusterDir} did not shut down`);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw error;
    }
  }
}

async function waitForNoClusterProcesses(clusterDir: string, timeoutMs: number): Promise<ClusterProcess[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = await clusterProcesses(clusterDir);
    if (remaining.length === 0 || Date.now() >= deadline) {
      return remaining;
    }
    await sleep(POLL_MS);
  }
}

async function clusterProcesses(clusterDir: string): Promise<ClusterProcess[]> {
  const pids = (await readdir(PROC)).filter((name) => /^\d+$/.test(name)).map(Number);
  const found = await Promise.all(pids.map((pid) => clusterProcess(pid, clusterDir)));
  return found.filter((p): p is ClusterProcess => p !== undefined);
}

async function clusterProcess(pid: number, clusterDir: string): Promise<ClusterProcess | undefined> {
  // Unreadable (another user's process, or it just exited) means not ours to judge.
  const cwd = await readlink(path.join(PROC, String(pid), 'cwd')).catch(() => undefined);
  if (cwd !== clusterDir) {
    return undefined;
  }
  const stat = await readStat(pid);
  return stat && stat.comm === 'postgres' && !stat.dead ? { pid, ppid: stat.ppid } : undefined;
}

async function isAlive(pid: number): Promise<boolean> {
  const stat = await readStat(pid);
  return stat !== undefined && !stat.dead;
}

/** Fields of /proc/<pid>/stat; `comm` is parenthesised and may itself contain spaces or ')'. */
async function readStat(pid: number): Promise<{ comm: string; ppid: number; dead: boolean } | undefined> {
  const raw = await readFile(path.join(PROC, String(pid), 'stat'), 'utf8').catch(() => undefined);
  if (raw === undefined) {
    return undefined;
  }
  const commEnd = raw.lastIndexOf(')');
  const [state = '', ppid = ''] = raw.slice(commEnd + 2).split(' ');
  return {
    comm: raw.slice(raw.indexOf('(') + 1, commEnd),
    ppid: Number(ppid),
    // Z = zombie, X = dead: exited, only waiting for the parent to collect the status.
    dead: state === 'Z' || state === 'X',
  };
}
