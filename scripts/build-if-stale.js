#!/usr/bin/env node
'use strict';
// Builds a Nest project (`nest build <project>`) only when its output is missing or older than a
// source it is built from, so that `npm start` does not spend a webpack build on every start.
// Usage: node scripts/build-if-stale.js <project> <output file>
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const [project, output] = process.argv.slice(2);
if (!project || !output) {
  process.stderr.write('usage: build-if-stale.js <project> <output file>\n');
  process.exit(2);
}

/** What the build reads: the apps and libraries it bundles, and the files that configure it. */
const INPUTS = ['apps', 'libs', 'package-lock.json', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json'];

function newestMtime(entry) {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) {
    if (child === 'node_modules' || child === 'test') continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

const built = path.join(root, output);
const newestSource = Math.max(...INPUTS.map((input) => path.join(root, input)).filter(existsSync).map(newestMtime));
if (existsSync(built) && statSync(built).mtimeMs >= newestSource) {
  process.stdout.write(`${output} is up to date\n`);
} else {
  try {
    execFileSync(path.join(root, 'node_modules', '.bin', 'nest'), ['build', project], { cwd: root, stdio: 'inherit' });
  } catch (error) {
    // nest has printed why; its exit status is enough.
    process.exit(error.status || 1);
  }
}
