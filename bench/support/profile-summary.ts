import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by package (node_modules/<name>), 'service' for the bundle, 'node' for Node's own code, '(idle)' and '(gc)'. */
  byPackage: { name: string; ms: number; share: number }[];
  /** Self time by function, heaviest first. */
  byFunction: { name: string; ms: number; share: number }[];
  /** Time with the function anywhere on the stack (callees included), for the service's own code and the layers it goes through. */
  inclusive: { name: string; ms: number; share: number }[];
}

/**
 * Where a --cpu-prof profile's time went, by self time: enough to see which layer of the service
 * (Nest, validation, TypeORM, pg, logging, the service's own code) dominates a load.
 */
export async function summarizeProfile(path: string, top = 40): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = (nodes.get(id) as ProfileNode).callFrame;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const name = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const ranked = (totals: Map<string, number>) => [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / totalUs }));
  return {
    totalMs: totalUs / 1000,
    byPackage: ranked(byPackage),
    byFunction: ranked(byFunction),
    inclusive: ranked(inclusiveTimes(profile, nodes)),
  };
}

/** Sums each sample's time into every distinct function on its stack. */
function inclusiveTimes(profile: CpuProfile, nodes: Map<number, ProfileNode>): Map<string, number> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = (nodes.get(at) as ProfileNode).callFrame;
      if (url === '') continue;
      const name = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      totals.set(name, (totals.get(name) ?? 0) + us);
    }
  });
  return totals;
}

function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : 'native';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.startsWith('node:')) return 'node';
  return 'service';
}

function shortUrl(url: string): string {
  const inModules = url.lastIndexOf('node_modules/');
  return inModules >= 0 ? url.slice(inModules + 'node_modules/'.length) : url.replace(/^.*\/dist\//, 'dist/');
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const line = ({ name, ms, share }: { name: string; ms: number; share: number }) =>
    `  ${(share * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${name}`;
  return [
    `self time ${summary.totalMs.toFixed(0)} ms, by package:`,
    ...summary.byPackage.slice(0, 12).map(line),
    'by function (self):',
    ...summary.byFunction.map(line),
    'by function (inclusive):',
    ...summary.inclusive.map(line),
  ].join('\n');
}
