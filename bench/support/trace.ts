/**
 * A Performance trace (CDP Tracing) around `run`, printed as the renderer main thread's time by
 * kind of work, summed over the whole run, and the longest tasks with what ran inside them:
 * a p95 says how often frames are slow, the long tasks say why the worst ones were.
 * Events nest (a forced layout inside a script), so a kind's figure includes what ran inside it;
 * RunTask is all the main thread's tasks.
 */
import type { Page } from 'playwright-core';

export type Cdp = Awaited<ReturnType<ReturnType<Page['context']>['newCDPSession']>>;

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; type?: string } };
}

/** Tasks at least this long are listed one by one. */
const LONG_TASK_MS = 50;

export async function traceOf<T>(cdp: Cdp, what: string, run: () => Promise<T>): Promise<T> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8', transferMode: 'ReportEvents' });
  const result = await run();
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  // The page's main thread: of the renderers' main threads (other pages have theirs), the busiest.
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const busy = new Map<string, number>();
  for (const e of events) if (e.name === 'RunTask' && mains.has(`${e.pid}:${e.tid}`)) busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
  const main = [...busy].sort((a, b) => b[1] - a[1])[0]?.[0];
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.dur);
  console.log(`trace, ${what}: renderer main thread by kind (total ms, events)`);
  for (const [name, { ms, count }] of byKind(onMain).slice(0, 20)) console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${String(count).padStart(6)}  ${name}`);

  const long = onMain.filter((e) => e.name === 'RunTask' && e.dur! / 1000 >= LONG_TASK_MS).sort((a, b) => a.ts - b.ts);
  console.log(`trace, ${what}: ${long.length} tasks of ${LONG_TASK_MS} ms or more`);
  for (const task of long) {
    const inside = onMain.filter((e) => e !== task && e.name !== 'RunTask' && e.ts >= task.ts && e.ts + e.dur! <= task.ts + task.dur!);
    const top = byKind(inside)
      .slice(0, 6)
      .map(([name, { ms, count }]) => `${name} ${ms.toFixed(0)} ms${count > 1 ? ` x${count}` : ''}`);
    const where = inside.find((e) => e.name === 'FunctionCall' || e.name === 'TimerFire' || e.name === 'EventDispatch')?.args?.data;
    console.log(`  ${(task.dur! / 1000).toFixed(0).padStart(5)} ms: ${top.join(', ')}${where ? ` [${where.type ?? where.functionName ?? ''} ${where.url?.split('/').pop() ?? ''}]` : ''}`);
  }
  return result;
}

function byKind(events: TraceEvent[]): Array<[string, { ms: number; count: number }]> {
  const kinds = new Map<string, { ms: number; count: number }>();
  for (const e of events) {
    const kind = kinds.get(e.name) ?? { ms: 0, count: 0 };
    kind.ms += e.dur! / 1000;
    kind.count++;
    kinds.set(e.name, kind);
  }
  return [...kinds].sort((a, b) => b[1].ms - a[1].ms);
}
