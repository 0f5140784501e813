import { ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LedgerApp } from '../e2e/ledger-app';
import { newsletter, record, runKafkaBrokers, startRelayingLedger, uniquePrefix, untilRelay } from '../relay/relay-fixture';

const run = promisify(execFile);
const repo = join(__dirname, '../..');
const packageDir = join(repo, 'libs/consent-client');

/** The first ```ts block of the SDK's README: the example a user copies. */
function readmeExample(): string {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const match = /```ts\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('the README has no ```ts example');
  return match[1];
}

/** A running example: its stdout lines, and a wait for the next line that matches. */
class RunningExample {
  private readonly lines: string[] = [];
  private stderr = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    child.stderr.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
    this.exited = new Promise((resolve) => child.once('exit', resolve));
  }

  async line(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find((l) => pattern.test(l));
      if (found) return found;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no line matching ${pattern}; stdout: ${JSON.stringify(this.lines)}; stderr: ${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

describe('@consent-ledger/client packed with npm pack, installed in an empty project', () => {
  const work = mkdtempSync(join(tmpdir(), 'sdk-pack-'));
  const project = join(work, 'project');
  let ledger: LedgerApp;
  let tarball: string;
  let apiKey: string;
  const subjectId = uniquePrefix('sdk-user');

  beforeAll(async () => {
    const brokers = runKafkaBrokers();
    // The ledger and the pack+install run side by side: the install is mostly waiting on npm.
    const packed = (async () => {
      // prepack's build logs to stdout too, in colour under CI=true (escape codes hold '['): the JSON is the
      // part from the line that opens the array.
      const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: packageDir, env: { ...process.env, NO_COLOR: '1' } });
      const json = /^\[$/m.exec(stdout);
      if (!json) throw new Error(`npm pack printed no JSON: ${stdout}`);
      tarball = join(work, JSON.parse(stdout.slice(json.index))[0].filename);
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'sdk-example', version: '0.0.0', private: true }));
      // kafkajs, the peer dependency, comes from the registry (or npm's cache).
      await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: project });
    })();
    ledger = await startRelayingLedger(brokers);
    expect((await ledger.put('/v1/purposes/newsletter', newsletter)).status).toBe(201);
    const key = await ledger.post('/v1/api-keys', { name: 'newsletter-sender', scopes: ['consents:read'] });
    expect(key.status).toBe(201);
    apiKey = key.body.secret;
    expect((await record(ledger, subjectId, 'ConsentGranted')).status).toBe(201);
    await untilRelay(ledger, 'the relay to publish the grant', (s) => s.role === 'active' && s.kafka === 'connected' && s.lag === 0);
    await packed;
  }, 120_000);

  afterAll(async () => {
    await ledger?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('is self-contained: dist for ESM and CJS with declarations, README and LICENSE, kafkajs as its only dependency', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    expect(stdout.trim().split('\n').sort()).toEqual(expect.arrayContaining([
      'package/LICENSE', 'package/README.md', 'package/package.json',
      'package/dist/index.js', 'package/dist/index.mjs', 'package/dist/index.d.ts', 'package/dist/index.d.mts',
    ]));
    expect(stdout).not.toMatch(/package\/src\//);
    const installed = join(project, 'node_modules/@consent-ledger/client');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: '@consent-ledger/client', license: 'Apache-2.0', peerDependencies: { kafkajs: expect.any(String) } });
    expect(manifest.version).toMatch(/^0\.\d+\.\d+$/);
    expect(manifest.dependencies).toBeUndefined();
    // The domain library is bundled in, not imported from a package that is not published.
    for (const file of ['index.js', 'index.mjs', 'index.d.ts', 'index.d.mts']) {
      expect(readFileSync(join(installed, 'dist', file), 'utf8')).not.toContain('@consent-ledger/domain');
    }
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toContain('Apache License');
  });

  it("compiles the README's example as CommonJS and as an ES module, and both run against the ledger", async () => {
    const example = readmeExample();
    writeFileSync(join(project, 'example.ts'), example);
    writeFileSync(join(project, 'example.mts'), example);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        module: 'node16', moduleResolution: 'node16', target: 'ES2022', strict: true, outDir: 'out',
        types: ['node'], typeRoots: [join(repo, 'node_modules/@types')],
      },
      files: ['example.ts', 'example.mts'],
    }));
    await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', project]);

    const env = { ...process.env, KAFKA_BROKERS: runKafkaBrokers().join(','), CONSENT_LEDGER_URL: ledger.baseUrl, CONSENT_API_KEY: apiKey };
    const examples = ['out/example.js', 'out/example.mjs'].map((file) =>
      new RunningExample(spawn(process.execPath, [file, subjectId, 'newsletter'], { cwd: project, env })));
    try {
      for (const example of examples) {
        await example.line(/^check over HTTP: true$/);
        await example.line(/^isAllowed from memory: true$/);
      }
      expect((await record(ledger, subjectId, 'ConsentWithdrawn')).status).toBe(201);
      for (const example of examples) {
        await example.line(new RegExp(`^changed: ${subjectId} newsletter allowed=false status=withdrawn$`));
        example.child.kill('SIGTERM');
        await example.line(/^stopped$/);
        expect(await example.exited).toBe(0);
      }
    } finally {
      for (const example of examples) if (example.child.exitCode === null) example.child.kill('SIGKILL');
    }
  });
});
