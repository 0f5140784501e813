// Builds the console into dist/console unless its inputs are unchanged since the last build, so
// that `npm start` stays fast. Inputs: the console's sources and config, and the lockfile (library
// versions). The digest of the inputs is kept beside the output.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const consoleDir = fileURLToPath(new URL('.', import.meta.url));
const repoDir = resolve(consoleDir, '../..');
const outDir = join(repoDir, 'dist/console');
const stamp = join(outDir, '.inputs-sha256');

function files(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return name.endsWith('.spec.ts') ? [] : [path];
  });
}

const inputs = [join(consoleDir, 'index.html'), join(consoleDir, 'vite.config.mts'), join(consoleDir, 'tsconfig.json'), join(repoDir, 'package-lock.json'), ...files(join(consoleDir, 'src'))];
const digest = createHash('sha256');
for (const path of inputs) digest.update(relative(repoDir, path)).update('\0').update(readFileSync(path)).update('\0');
const inputsSha = digest.digest('hex');

if (existsSync(join(outDir, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === inputsSha) {
  process.stdout.write('console: up to date (dist/console)\n');
} else {
  const { build } = await import('vite');
  await build({ configFile: join(consoleDir, 'vite.config.mts'), logLevel: 'warn' });
  writeFileSync(stamp, inputsSha);
  process.stdout.write('console: built into dist/console\n');
}
