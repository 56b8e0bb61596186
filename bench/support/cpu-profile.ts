/**
 * A CPU profile of this process around `run` (node:inspector), summed by where the code lives:
 * the engine, the local DynamoDB, dynalite/LevelDB, the AWS SDK, JSONata, Node's own. Says where
 * the time of a Node-side benchmark goes.
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
  children?: number[];
}

const AREAS: Array<[string, RegExp]> = [
  ['local/states (engine)', /\/local\/states\//],
  ['local/dynamo (shim)', /\/local\/dynamo\//],
  ['dynalite + LevelDB', /node_modules\/(dynalite|level|abstract-level|classic-level|memdown|leveldown|lazy|big\.js|once|async)/],
  ['AWS SDK + smithy', /node_modules\/@(aws-sdk|smithy|aws-crypto)\//],
  ['jsonata', /node_modules\/jsonata\//],
  ['other node_modules', /node_modules\//],
  ['bench and app code', /\/(bench|functions|local|infra)\//],
  ['node internals', /^node:|^internal\/|^$/],
];

export interface ProfileSummary {
  totalMs: number;
  byArea: Record<string, number>;
  topFunctions: Array<{ name: string; where: string; ms: number }>;
}

export async function profileOf<T>(run: () => Promise<T>): Promise<{ result: T; summary: ProfileSummary }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  const result = await run();
  const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] } };
  session.disconnect();
  const totalSamples = profile.samples.length || 1;
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / totalSamples;
  const byArea: Record<string, number> = {};
  const byFunction = new Map<string, { name: string; where: string; ms: number }>();
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * msPerSample;
    if (!ms) continue;
    const { functionName, url } = node.callFrame;
    const area = functionName === '(garbage collector)' ? 'garbage collection' : functionName === '(idle)' || functionName === '(program)' ? `(${functionName.slice(1, -1)})` : (AREAS.find(([, re]) => re.test(url))?.[0] ?? 'other');
    byArea[area] = (byArea[area] ?? 0) + ms;
    const where = url.replace(/^.*\/(node_modules\/[^/]+|local\/[^/]+|bench)\//, '$1/');
    const key = `${functionName}@${where}`;
    const entry = byFunction.get(key) ?? { name: functionName || '(anonymous)', where, ms: 0 };
    entry.ms += ms;
    byFunction.set(key, entry);
  }
  const round = (n: number) => Math.round(n);
  return {
    result,
    summary: {
      totalMs: round((profile.endTime - profile.startTime) / 1000),
      byArea: Object.fromEntries(Object.entries(byArea).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v)])),
      topFunctions: [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, 15).map((f) => ({ ...f, ms: round(f.ms) })),
    },
  };
}
