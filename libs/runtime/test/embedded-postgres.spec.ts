import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startEmbeddedPostgres, withPgClient, type EmbeddedPostgresHandle, type EmbeddedPostgresOptions } from '../src';

const START_CLUSTER = path.join(__dirname, 'fixtures', 'start-cluster.js');

let root: string;
const handles: EmbeddedPostgresHandle[] = [];
const children: ChildProcess[] = [];
/** Postmasters deliberately orphaned; killed at the end in case a test failed half-way. */
const strayPostmasters: number[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'runtime-embedded-pg-'));
  // mkdtemp makes it private (0700); run as root, Postgres runs as the 'postgres' OS user, who
  // must be able to enter it.
  await chmod(root, 0o755);
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.stop()));
  children.splice(0).forEach((child) => child.kill('SIGKILL'));
});

afterAll(async () => {
  strayPostmasters.forEach((pid) => signal(pid, 'SIGQUIT'));
  await rm(root, { recursive: true, force: true });
});

async function start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const handle = await startEmbeddedPostgres(options);
  handles.push(handle);
  return handle;
}

async function query<R extends object>(url: string, sql: string): Promise<R[]> {
  return withPgClient(url, async (client) => (await client.query<R>(sql)).rows);
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number.parseInt((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '', 10);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** A zombie has exited; it only waits for a parent that may never reap it (PID 1 here). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** The crash scenarios read /proc, as the library does; elsewhere Postgres' own checks apply. */
const withProcfs = existsSync('/proc/self/stat') ? it : it.skip;

/** Starts a cluster in a child process, commits a row, then SIGKILLs the child (not the server). */
async function startInChildAndKillIt(dataDir: string): Promise<{ url: string; postmaster: number }> {
  const owner = spawn(process.execPath, [START_CLUSTER, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(owner);
  const [line] = (await once(createInterface({ input: owner.stdout! }), 'line')) as [string];
  const { url } = JSON.parse(line) as { url: string };
  await query(url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('committed')");
  const postmaster = await postmasterPid(dataDir);
  strayPostmasters.push(postmaster);
  owner.kill('SIGKILL'); // runs no exit hooks: the server lives on, orphaned
  await once(owner, 'exit');
  return { url, postmaster };
}

describe('startEmbeddedPostgres', () => {
  it('initialises a new directory, then reuses it after a clean stop', async () => {
    const dataDir = path.join(root, 'reuse', 'nested', 'data');
    const first = await start({ dataDir });
    const password = new URL(first.url).password;
    expect(first.url).toBe(`postgres://postgres:${password}@127.0.0.1:${first.port}/postgres`);
    // A random superuser password, kept beside the cluster; the old fixed one is refused.
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await readFile(path.join(dataDir, 'superuser.password'), 'utf8')).trim()).toBe(password);
    const fixed = new URL(first.url);
    fixed.password = 'postgres';
    await expect(query(fixed.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
    await query(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives a restart')");
    await first.stop();
    await first.stop(); // idempotent
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);

    const again = await start({ dataDir });

    expect(new URL(again.url).password).toBe(password);
    expect(await query(again.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives a restart' }]);
  });

  it('gives a cluster initialised with the old fixed password a random one at its next start', async () => {
    const dataDir = path.join(root, 'legacy-password');
    const first = await start({ dataDir, durable: false });
    await query(first.url, "ALTER ROLE postgres PASSWORD 'postgres'");
    await first.stop();
    await rm(path.join(dataDir, 'superuser.password'));

    const again = await start({ dataDir, durable: false });

    const password = new URL(again.url).password;
    expect(password).not.toBe('postgres');
    expect(await query(again.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect((await readFile(path.join(dataDir, 'superuser.password'), 'utf8')).trim()).toBe(password);
  });

  withProcfs('restarts after its postmaster was killed with SIGKILL', async () => {
    const dataDir = path.join(root, 'killed-postmaster');
    // Durable: with synchronous_commit off, a commit may still sit in shared memory when the
    // server is killed.
    const crashed = await start({ dataDir });
    await query(crashed.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('committed')");
    const pid = await postmasterPid(dataDir);
    process.kill(pid, 'SIGKILL');
    while (isRunning(pid)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await crashed.stop(); // returns although the server is already gone

    const again = await start({ dataDir });

    expect(await query(again.url, 'SELECT v FROM kept')).toEqual([{ v: 'committed' }]);
  });

  withProcfs('shuts down the postgres orphaned when its owner process was killed, then starts', async () => {
    const dataDir = path.join(root, 'killed-owner');
    const { url, postmaster } = await startInChildAndKillIt(dataDir);
    await query(url, 'SELECT 1'); // the orphan still serves
    expect(isRunning(postmaster)).toBe(true);

    const again = await start({ dataDir });

    expect(isRunning(postmaster)).toBe(false);
    expect(await query(again.url, 'SELECT v FROM kept')).toEqual([{ v: 'committed' }]);
  });

  withProcfs('restarts after the owner and then its postgres were killed with SIGKILL', async () => {
    const dataDir = path.join(root, 'killed-tree');
    const { postmaster } = await startInChildAndKillIt(dataDir);
    // Orphaned, so its new parent (PID 1) reaps it; until then it is a zombie that passes
    // kill(pid, 0), and Postgres alone would refuse to start ("Is another postmaster running?").
    process.kill(postmaster, 'SIGKILL');

    const again = await start({ dataDir });

    expect(await query(again.url, 'SELECT v FROM kept')).toEqual([{ v: 'committed' }]);
  });

  withProcfs('ignores a lock file whose pid now belongs to an unrelated process', async () => {
    const dataDir = path.join(root, 'reused-pid');
    await (await start({ dataDir, durable: false })).stop();
    const unrelated = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(unrelated);
    // What a container restart leaves: the old postmaster's pid, now someone else's.
    await writeFile(path.join(dataDir, 'postmaster.pid'), `${unrelated.pid}\n${dataDir}\n`);

    const again = await start({ dataDir, durable: false });

    expect(await query(again.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  withProcfs('refuses a directory that a running process still serves', async () => {
    const dataDir = path.join(root, 'in-use');
    const running = await start({ dataDir, durable: false });

    await expect(startEmbeddedPostgres({ dataDir, durable: false })).rejects.toThrow(/already running/);
    expect(await query(running.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
});
