import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Renders deploy/kubernetes with `kubectl kustomize` (Debian's kubernetes-client; .ci/run installs it)
 * and validates every object against the Kubernetes OpenAPI schemas (kubernetes-models), then checks
 * what the schemas cannot: probes, secrets by reference only, graceful termination, selectors.
 */
const root = join(__dirname, '../../deploy/kubernetes');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: any;
}

function render(dir: string): Manifest[] {
  let yaml: string;
  try {
    yaml = execFileSync('kubectl', ['kustomize', join(root, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error('kubectl is not installed: apt-get install -y kubernetes-client (see .ci/run)');
    throw error;
  }
  return parseAllDocuments(yaml).map((doc) => {
    if (doc.errors.length > 0) throw doc.errors[0];
    return doc.toJSON() as Manifest;
  });
}

/** Validates against the schema of the object's own apiVersion and kind; unknown ones fail. */
function validate(manifest: Manifest): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const group = require(`kubernetes-models/${manifest.apiVersion}`) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = group[manifest.kind];
  if (!Model) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest).validate();
}

const one = (manifests: Manifest[], kind: string): Manifest => {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

const SECRETS = ['DATABASE_URL', 'CONSENT_MASTER_KEY', 'CONSENT_SIGNING_KEY', 'CONSENT_ADMIN_KEY'];

describe.each(['base', 'overlays/production'])('kubectl kustomize deploy/kubernetes/%s', (dir) => {
  const manifests = render(dir);

  it('renders objects that the Kubernetes schemas accept', () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual(expect.arrayContaining(
      ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service', 'ServiceAccount'],
    ));
    for (const manifest of manifests) expect(() => validate(manifest)).not.toThrow();
  });

  it('never carries a secret: no Secret object, every key by secretKeyRef', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    const config = one(manifests, 'ConfigMap');
    for (const name of SECRETS) expect(Object.keys(config.data)).not.toContain(name);
    const container = one(manifests, 'Deployment').spec.template.spec.containers[0];
    for (const name of SECRETS) {
      const env = container.env.find((e: { name: string }) => e.name === name);
      expect(env).toEqual({ name, valueFrom: { secretKeyRef: { name: 'consent-ledger-secrets', key: name } } });
    }
  });

  it('runs a non-root, read-only container probed on the health routes', () => {
    const deployment = one(manifests, 'Deployment');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(pod.volumes.find((v: { name: string }) => v.name === 'tmp').emptyDir).toBeDefined();
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/health/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/health/live', port: 'http' });
    expect(container.resources.requests).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
    expect(container.resources.limits.memory).toBeDefined();
    const config = one(manifests, 'ConfigMap');
    expect(container.envFrom).toEqual([{ configMapRef: { name: config.metadata.name } }]);
    expect(container.ports).toContainEqual(expect.objectContaining({ name: 'http', containerPort: Number(config.data.PORT) }));
    expect(config.data.MIGRATIONS_AUTO).toBe('false');
    expect(config.data.KAFKA_BROKERS).toBeTruthy();
  });

  it('gives in-flight requests their SHUTDOWN_GRACE_MS after the preStop pause, with a margin', () => {
    const pod = one(manifests, 'Deployment').spec.template.spec;
    const graceSeconds = Number(one(manifests, 'ConfigMap').data.SHUTDOWN_GRACE_MS) / 1000;
    const [, pause] = pod.containers[0].lifecycle.preStop.exec.command;
    expect(graceSeconds).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(Number(pause) + graceSeconds + 5);
  });

  it('points the Service, the budget and the autoscaler at the Deployment', () => {
    const deployment = one(manifests, 'Deployment');
    const podLabels = deployment.spec.template.metadata.labels;
    expect(matches(deployment.spec.selector.matchLabels, podLabels)).toBe(true);
    expect(matches(one(manifests, 'Service').spec.selector, podLabels)).toBe(true);
    expect(matches(one(manifests, 'PodDisruptionBudget').spec.selector.matchLabels, podLabels)).toBe(true);
    const hpa = one(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    // The autoscaler owns the count: a replicas field would reset it on every apply.
    expect(deployment.spec.replicas).toBeUndefined();
  });
});

describe('the production overlay', () => {
  const manifests = render('overlays/production');
  const migration = render('overlays/production/migration');

  it('puts everything in its namespace, on a pinned image', () => {
    expect(one(manifests, 'Namespace').metadata.name).toBe('consent-ledger');
    for (const m of manifests.filter((m) => m.kind !== 'Namespace')) expect(m.metadata.namespace).toBe('consent-ledger');
    expect(one(manifests, 'Deployment').spec.template.spec.containers[0].image).toMatch(/:\d+\.\d+\.\d+$/);
  });

  it('has a migration Job on the same image running `main.js migrate` with DATABASE_URL by reference', () => {
    for (const manifest of migration) expect(() => validate(manifest)).not.toThrow();
    const job = one(migration, 'Job');
    expect(job.metadata.namespace).toBe('consent-ledger');
    const [container] = job.spec.template.spec.containers;
    expect(container.image).toBe(one(manifests, 'Deployment').spec.template.spec.containers[0].image);
    expect(container.command).toEqual(['node', 'dist/apps/consent-ledger/main.js', 'migrate']);
    expect(container.env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'consent-ledger-secrets', key: 'DATABASE_URL' } } });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = readFileSync(join(__dirname, '../../deploy/Dockerfile'), 'utf8');

  it('runs the built service as the non-root user the manifests name (uid 1000)', () => {
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(final).toMatch(/\nUSER 1000:1000\n/);
    expect(final).toContain('CMD ["node", "dist/apps/consent-ledger/main.js"]');
  });
});
