/**
 * The funnel's reports at scale (issue 17): a tenant of N deals with 5 stage moves each on
 * average (a year of them: skipped stages, steps back, won, lost with reasons, open), owned by
 * ten representatives, seeded straight into the table; then every report through the API
 * (`GET /api/analytics/{report}`), cold and warm, a drill, and a representative's own-scope
 * report. Cold is the container's first report: it reads every move and the deals' snapshot
 * (built in the background, answered 503 Preparing meanwhile, asked again every second); each
 * report's first answer after that, and warm the median of three. Then a new container's first
 * report: once the stored copies (the moves', the deals') the first asked for are built, the
 * container's logs and snapshots are dropped and the funnel asked for again. Then a board move (a PATCH of
 * a deal's stage, its move written in the same transaction) against a plain PATCH (its name),
 * alternating, medians (target: at most 1.5x).
 *
 * DEALS= the scales, comma-separated (default 20000,100000,200000: a quick run is DEALS=2000);
 * each in a tenant of its own, in one cloud. PATCHES= moves and plain PATCHes each (default 30).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCALES = (process.env.DEALS ?? '20000,100000,200000').split(',').map(Number);
const PATCHES = Number(process.env.PATCHES ?? 30);
const OWNERS = 10;
const REPORTS = ['funnel', 'losses', 'velocity', 'forecast', 'won-lost'] as const;
const DAY_MS = 86_400_000;

const { startEmbeddedCloud } = await import('../local/embedded-cloud.ts');
const { signIn } = await import('../test/support/cloud.ts');
const { apiAs } = await import('./support/api-as.ts');
const { seedRecords, streamSettled, writeItems } = await import('./support/seed-records.ts');
const { stageMovePut } = await import('../functions/deals/stage-moves.ts');
const { DEFAULT_PIPELINE } = await import('../functions/contracts/deal-stages.ts');
const { forgetStageMoveLogs } = await import('../functions/analytics/stage-move-log.ts');
const { forgetTypeSnapshots } = await import('../functions/views/type-snapshot.ts');
const { readSnapshotBuild } = await import('../functions/views/snapshot-build.ts');
const { STORED_MOVES } = await import('../functions/analytics/stored-moves.ts');
type StageMove = import('../functions/contracts/stage-moves.ts').StageMove;

const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-funnel-'));
const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
const figures: Record<string, unknown> = { moves_per_deal: 5 };
try {
  for (const deals of SCALES) figures[`deals_${deals}`] = await scale(deals);
  Object.assign(figures, await boardMoveAgainstPatch());
} finally {
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(figures));

/** A user of `tenant` with a role, signed in: their token and sub. */
async function user(tenant: string, name: string, role: 'administrator' | 'sales-representative'): Promise<{ token: string; sub: string }> {
  const email = `${name}@${tenant}.example`;
  const password = `bench-${name}-password`;
  await cloud.identity.createUser({ email, password, tenant, groups: [role] });
  const token = (await signIn(cloud.url, cloud.identity.clientId, email, password)).IdToken as string;
  const { sub } = await apiAs(cloud.url, token)('GET', '/api/me');
  return { token, sub };
}

async function scale(count: number): Promise<Record<string, unknown>> {
  const tenant = `bench-funnel-${count}`;
  const admin = await user(tenant, 'admin', 'administrator');
  const reps: Array<{ token: string; sub: string }> = [];
  for (let i = 0; i < OWNERS; i++) reps.push(await user(tenant, `rep${i}`, 'sales-representative'));

  const t0 = performance.now();
  const histories = Array.from({ length: count }, (_, i) => historyOf(i));
  const ids = await seedRecords(tenant, 'DEAL', count, (i) => dealFields(i, histories[i]), (i) => reps[i % OWNERS].sub);
  const moves = histories.flatMap((history, i) => history.map((move, v) => stageMovePut(tenant, { ...move, deal: ids[i], by: reps[i % OWNERS].sub, owner: reps[i % OWNERS].sub, dealVersion: v + 1 }).Put!.Item as Record<string, unknown>));
  await writeItems(moves);
  console.log(`${tenant}: seeded ${count} deals and ${moves.length} moves in ${Math.round(performance.now() - t0)} ms`);
  // The moves make no feed entries: one record written after them does, once the stream got past them.
  await apiAs(cloud.url, admin.token)('POST', '/api/companies', { name: 'After the moves' });
  await streamSettled(cloud);

  const query = 'pipeline=default';
  const cold = await untilAnswered(`/api/analytics/funnel?${query}`, admin.token);
  console.log(`  cold: first funnel after ${Math.round(cold.total)} ms (${cold.attempts} requests, the answering one ${Math.round(cold.last)} ms)`);
  const result: Record<string, unknown> = { moves: moves.length, cold_first_report_total_ms: Math.round(cold.total), cold_requests: cold.attempts, cold_answering_request_ms: Math.round(cold.last) };
  for (const report of REPORTS) {
    const path = `/api/analytics/${report}?${query}`;
    const first = await timed(path, admin.token);
    const warm = median([await timed(path, admin.token), await timed(path, admin.token), await timed(path, admin.token)].map((t) => t.ms));
    console.log(`  ${report}: first ${Math.round(first.ms)} ms, warm ${Math.round(warm)} ms (${first.bytes} bytes)`);
    Object.assign(result, { [`${report}_first_ms`]: Math.round(first.ms), [`${report}_warm_ms`]: Math.round(warm), [`${report}_bytes`]: first.bytes });
  }
  const copy = await builtCopy(tenant);
  console.log(`  the moves' stored copy: ${copy.records} moves, built in ${copy.ms} ms (${copy.steps} steps)`);
  forgetStageMoveLogs();
  forgetTypeSnapshots();
  const renewed = await untilAnswered(`/api/analytics/funnel?${query}`, admin.token);
  console.log(`  a new container: first funnel after ${Math.round(renewed.total)} ms (${renewed.attempts} requests)`);
  Object.assign(result, { moves_copy_build_ms: copy.ms, new_container_first_report_total_ms: Math.round(renewed.total), new_container_requests: renewed.attempts });
  const skipped = await timed(`/api/analytics/funnel?${query}&conversion=skipped`, admin.token);
  const drill = await timed(`/api/analytics/funnel/drill?${query}&conversion=skipped&cell=entered%3Aproposal`, admin.token);
  const own: number[] = [];
  for (let run = 0; run < 3; run++) own.push((await timed(`/api/analytics/funnel?${query}`, reps[0].token)).ms);
  console.log(`  funnel counting skipped stages ${Math.round(skipped.ms)} ms; a drill ${Math.round(drill.ms)} ms (${drill.bytes} bytes); a representative's own funnel ${own.map(Math.round).join(', ')} ms`);
  Object.assign(result, { funnel_skipped_first_ms: Math.round(skipped.ms), drill_ms: Math.round(drill.ms), drill_bytes: drill.bytes, own_scope_funnel_first_ms: Math.round(own[0]), own_scope_funnel_warm_ms: Math.round(median(own.slice(1))) });
  return result;
}

/** The moves' stored copy once its build (asked for by the first report) is done: its moves, the build's time and steps. */
async function builtCopy(tenant: string): Promise<{ records: number; ms: number; steps: number }> {
  for (;;) {
    const build = await readSnapshotBuild(tenant, STORED_MOVES.subject);
    if (build?.state === 'done') return { records: build.records, ms: Date.parse(build.updatedAt) - Date.parse(build.startedAt), steps: build.step };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * Deal i's moves, from a generator seeded by i (the same history every run): created in `new` up
 * to a year ago, 1 to 9 moves (5 on average), each 1 to 20 days after the last, forward one stage
 * or two (skipping one), now and then back one; a third end won, a third lost with a reason.
 */
function historyOf(i: number): Array<Omit<StageMove, 'deal' | 'by' | 'owner' | 'dealVersion'>> {
  const random = mulberry32(i + 1);
  const stages = DEFAULT_PIPELINE.stages;
  const open = stages.filter((stage) => !stage.outcome);
  const reasons = DEFAULT_PIPELINE.lossReasons;
  const length = 1 + (i % 9);
  const amount = 1000 + (i % 50) * 100;
  let at = Date.now() - Math.floor(random() * 365 * DAY_MS);
  let stage = 0;
  const moves: Array<Omit<StageMove, 'deal' | 'by' | 'owner' | 'dealVersion'>> = [];
  const move = (from: string | null, to: string, extra: Partial<StageMove> = {}) => {
    moves.push({ pipeline: 'default', from, to, at: new Date(at).toISOString(), amount, currency: 'EUR', probability: stages.find((s) => s.key === to)!.probability, source: from === null ? 'create' : 'update', ...extra });
    at = Math.min(Date.now() - 60_000, at + (1 + Math.floor(random() * 20)) * DAY_MS);
  };
  move(null, open[0].key);
  for (let n = 1; n < length; n++) {
    const from = open[stage].key;
    const last = n === length - 1;
    if (last && i % 3 === 0) move(from, 'won');
    else if (last && i % 3 === 1) move(from, 'lost', { lossReason: reasons[Math.floor(random() * reasons.length)].key });
    else {
      stage = stage > 0 && random() < 0.15 ? stage - 1 : Math.min(open.length - 1, stage + (random() < 0.2 ? 2 : 1));
      move(from, open[stage].key);
    }
  }
  return moves;
}

/** The deal as its moves left it. */
function dealFields(i: number, history: ReturnType<typeof historyOf>): Record<string, unknown> {
  const last = history.at(-1)!;
  return {
    name: `Deal ${String(i).padStart(6, '0')}`,
    pipeline: 'default',
    stage: last.to,
    amount: { amount: `${last.amount}.00`, currency: 'EUR' },
    expectedClose: new Date(Date.parse(history[0].at) + 90 * DAY_MS).toISOString().slice(0, 10),
    ...(last.lossReason ? { lossReason: last.lossReason } : {}),
  };
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One GET, timed to its last byte; throws on anything but 200. */
async function timed(path: string, token: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const response = await fetch(`${cloud.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return { ms: performance.now() - t0, bytes: Buffer.byteLength(text) };
}

/** Asks until answered 200: 503 (the deals being prepared, or the gateway's 30 s passed) is asked again a second later. */
async function untilAnswered(path: string, token: string): Promise<{ total: number; attempts: number; last: number }> {
  const t0 = performance.now();
  for (let attempts = 1; ; attempts++) {
    const t1 = performance.now();
    const response = await fetch(`${cloud.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    if (response.status === 200) return { total: performance.now() - t0, attempts, last: performance.now() - t1 };
    if (response.status !== 503) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** PATCHes of a deal's stage (a move, written with the deal) against PATCHes of its name, alternating, on deals made through the API. */
async function boardMoveAgainstPatch(): Promise<Record<string, unknown>> {
  const admin = await user('bench-funnel-moves', 'admin', 'administrator');
  const api = apiAs(cloud.url, admin.token);
  const deals = [];
  for (let i = 0; i < PATCHES; i++) deals.push(await api('POST', '/api/deals', { name: `Moved ${i}`, amount: { amount: '100.00', currency: 'EUR' } }));
  const order = DEFAULT_PIPELINE.stages.filter((stage) => !stage.outcome).map((stage) => stage.key);
  const moves: number[] = [];
  const plain: number[] = [];
  for (const [i, deal] of deals.entries()) {
    const t0 = performance.now();
    const renamed = await api('PATCH', `/api/deals/${deal.id}`, { version: deal.version, fields: { name: `Renamed ${i}` } });
    plain.push(performance.now() - t0);
    const t1 = performance.now();
    await api('PATCH', `/api/deals/${deal.id}?source=board`, { version: renamed.version, fields: { stage: order[1 + (i % (order.length - 1))] } });
    moves.push(performance.now() - t1);
  }
  const [move, patch] = [median(moves), median(plain)];
  console.log(`board move ${move.toFixed(1)} ms, plain PATCH ${patch.toFixed(1)} ms (medians of ${PATCHES})`);
  return { board_move_median_ms: Number(move.toFixed(1)), plain_patch_median_ms: Number(patch.toFixed(1)), ratio_board_move_to_patch: Number((move / patch).toFixed(3)) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
