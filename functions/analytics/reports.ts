/**
 * The funnel's reports (contracts/analytics.ts): what a request asks, read and computed. Reads
 * the tenant's pipelines, its stage moves (kept per container, stage-move-log.ts) and its deals
 * (the type snapshot the grid reads, views/type-snapshot.ts), keeps to the caller's scope exactly
 * as the grid does (access/record-scope.ts on the deals as they are now; a move counts when its
 * deal is seen), and hands the rest to one pure module per report.
 *
 * Warm, a report costs a pass over the pipeline's deals: each deal's steps in a pipeline are
 * kept per generation of the log and the snapshot (`historiesOf`), and a report's result per
 * query and scope (`results`), so its drills are answered without computing it again.
 */
import { MAX_DRILL_IDS, MAX_PERIOD_DAYS, DEFAULT_PERIOD_DAYS, daysBetween, type AnalyticsAnswer, type AnalyticsQuery, type AnalyticsReport, type Drill, type DrillQuery } from '../contracts/analytics.ts';
import { pipelineNamed, stageNamed, type Pipeline } from '../contracts/deal-stages.ts';
import { toMinor, type Money } from '../contracts/money.ts';
import { userLabels } from '../contracts/user-labels.ts';
import type { ViewFilter } from '../contracts/views.ts';
import type { Actor } from '../access/actor.ts';
import { scopeFilter } from '../access/record-scope.ts';
import { currentDirectory, type Directory } from '../directory/directory.ts';
import { tenantPipelines } from '../deals/pipelines.ts';
import { teams } from '../teams/teams.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import type { StoredRecord } from '../records/errors.ts';
import { typeSnapshot, type TypeSnapshot } from '../views/type-snapshot.ts';
import { dealHistories, stepsByDeal, type DealHistory, type DealNow, type Step } from './deal-histories.ts';
import { DAY_MS, periodOf, type ReportInput, type ReportResult } from './report-parts.ts';
import { stageMoveLog, type StageMoveLog } from './stage-move-log.ts';
import { funnelReport } from './funnel.ts';
import { lossesReport } from './losses.ts';
import { velocityReport } from './velocity.ts';
import { forecastReport } from './forecast.ts';
import { wonLostReport } from './won-lost.ts';

const REPORTS: Record<AnalyticsReport, { title: string; compute: (input: ReportInput) => ReportResult }> = {
  funnel: { title: 'Funnel', compute: funnelReport },
  losses: { title: 'Losses', compute: lossesReport },
  velocity: { title: 'Velocity', compute: velocityReport },
  forecast: { title: 'Forecast', compute: forecastReport },
  'won-lost': { title: 'Won and lost', compute: wonLostReport },
};

/** Each query option is one report's: on another it is refused, not ignored. */
const OPTION_OF: Partial<Record<keyof AnalyticsQuery, AnalyticsReport>> = { conversion: 'funnel', by: 'won-lost' };

/** The columns a drill's view shows. */
const DRILL_COLUMNS = ['name', 'stage', 'amount', 'expectedClose', 'owner'];

export async function analyticsReport(actor: Actor, report: AnalyticsReport, query: AnalyticsQuery, now = Date.now()): Promise<AnalyticsAnswer> {
  return (await computed(actor, report, query, now)).answer;
}

/** The deals behind one number of a report (a `drill` of its answer), as a grid view of them. */
export async function analyticsDrill(actor: Actor, report: AnalyticsReport, { cell, ...query }: DrillQuery, now = Date.now()): Promise<Drill> {
  const { answer, drills, pipeline, first, owners } = await computed(actor, report, query, now);
  const ids = drills.get(cell);
  if (!ids) throw new FieldValidationError([{ path: 'query.cell', message: `is no number of this ${report} report`, value: cell }]);
  // A view's name is at most 100 characters: the number's name is cut to fit the period beside it.
  const name = `${`${REPORTS[report].title}: ${cell}`.slice(0, 70)} (${answer.from} to ${answer.to})`;
  if (ids.length <= MAX_DRILL_IDS) return { count: ids.length, exact: true, view: { name, columns: DRILL_COLUMNS, filters: [{ field: 'id', op: 'in', value: [...ids].sort() }], sort: [{ field: 'name' }] } };
  // Too many to name: the deals of the pipeline (and owners) as they are now, a superset. A deal of
  // the first pipeline may hold none (deals/deal-stage.ts): those are told by their stage.
  const filters: ViewFilter[] = [first ? { field: 'stage', op: 'in', value: pipeline.stages.map((stage) => stage.key) } : { field: 'pipeline', op: 'eq', value: pipeline.key }];
  if (owners) filters.push({ field: 'owner', op: 'in', value: [...owners].slice(0, 500) });
  return { count: ids.length, exact: false, view: { name, columns: DRILL_COLUMNS, filters, sort: [{ field: 'name' }] } };
}

interface Computed {
  answer: AnalyticsAnswer;
  drills: ReportResult['drills'];
  pipeline: Pipeline;
  /** Whether it is the tenant's first pipeline (where a deal without one is). */
  first: boolean;
  owners: ReadonlySet<string> | undefined;
}

/** Recent results by query, scope and the generations they were computed from. */
const results = new Map<string, Computed>();
const KEPT_RESULTS = 32;

async function computed(actor: Actor, report: AnalyticsReport, query: AnalyticsQuery, now: number): Promise<Computed> {
  for (const [option, owner] of Object.entries(OPTION_OF)) {
    if (query[option as keyof AnalyticsQuery] !== undefined && owner !== report) throw new FieldValidationError([{ path: `query.${option}`, message: `is only for the ${owner} report` }]);
  }
  const { tenant } = actor;
  // What the query names is checked before the (maybe long) reading of moves and deals.
  const [pipelines, directory] = await Promise.all([tenantPipelines(tenant), currentDirectory(tenant)]);
  const pipeline = pipelineNamed(pipelines, query.pipeline);
  if (!pipeline) throw new FieldValidationError([{ path: 'query.pipeline', message: `must be one of ${pipelines.map((p) => p.key).join(', ')}`, value: query.pipeline }]);
  const period = periodQueried(query, now);
  const owners = await ownersQueried(tenant, query, directory);
  const seen = actor.visibleUsers('DEAL');
  const [log, snapshot] = await Promise.all([stageMoveLog(tenant), typeSnapshot(tenant, 'DEAL')]);

  const key = JSON.stringify([tenant, report, query, period, seen ? [...seen].sort() : '*', log.generation, snapshot.generation, pipelines.map((p) => [p.key, p.version]), Math.floor(now / 60_000)]);
  const held = results.get(key);
  if (held) return held;

  const inScope = scopeFilter(actor, 'DEAL');
  const histories = historiesOf(pipelines, pipeline, log, snapshot).filter(({ deal }) => (!owners || owners.has(deal.owner)) && (!inScope || inScope(snapshot.records.get(deal.id) as StoredRecord)));
  const { currency, otherCurrencyDeals } = currencyOf(histories, pipeline, query.currency);
  const labels = userLabels(directory.users);
  const input: ReportInput = {
    pipeline,
    histories,
    period: periodOf(period.from, period.to),
    now,
    currency,
    conversion: query.conversion ?? 'stepwise',
    by: query.by ?? 'month',
    userLabel: (sub) => labels.get(sub) ?? sub,
  };
  const { drills, ...result } = REPORTS[report].compute(input);
  const answer: AnalyticsAnswer = {
    report,
    pipeline: { key: pipeline.key, label: pipeline.label },
    ...period,
    currency,
    otherCurrencyDeals,
    ...(report === 'funnel' ? { conversion: input.conversion } : {}),
    ...(report === 'won-lost' ? { by: input.by } : {}),
    ...result,
    asOf: new Date(now).toISOString(),
  };
  const made = { answer, drills, pipeline, first: pipelines[0] === pipeline, owners };
  results.set(key, made);
  if (results.size > KEPT_RESULTS) results.delete(results.keys().next().value!);
  return made;
}

/** `from` and `to` as asked, else the year up to today; at most MAX_PERIOD_DAYS. */
function periodQueried(query: AnalyticsQuery, now: number): { from: string; to: string } {
  const to = query.to ?? new Date(now).toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.parse(to) - (DEFAULT_PERIOD_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  if (from > to) throw new FieldValidationError([{ path: 'query.from', message: `must be on or before to (${to})`, value: from }]);
  if (daysBetween(from, to) >= MAX_PERIOD_DAYS) throw new FieldValidationError([{ path: 'query.from', message: `must be less than 5 years (${MAX_PERIOD_DAYS} days) before to`, value: from }]);
  return { from, to };
}

/** The owners whose deals the query asks for (the owner, the team's members, both: those in both); undefined: everyone's. */
async function ownersQueried(tenant: string, query: AnalyticsQuery, directory: Directory): Promise<ReadonlySet<string> | undefined> {
  let owners: Set<string> | undefined;
  if (query.owner !== undefined) {
    if (!directory.users.some((user) => user.sub === query.owner)) throw new FieldValidationError([{ path: 'query.owner', message: 'is no user of the tenant', value: query.owner }]);
    owners = new Set([query.owner]);
  }
  if (query.team !== undefined) {
    const team = (await teams.list(tenant)).find((t) => t.id === query.team);
    if (!team) throw new FieldValidationError([{ path: 'query.team', message: 'is no team of the tenant', value: query.team }]);
    const members = directory.users.filter((user) => user.teams.includes(team.id)).map((user) => user.sub);
    owners = new Set(members.filter((sub) => !owners || owners.has(sub)));
  }
  return owners;
}

/**
 * Each live deal's steps in the pipeline: the steps kept per generation of the log (a move
 * changes them), the deals as they are now per generation of the snapshot (any change of a deal).
 */
const steps = new WeakMap<StageMoveLog, Map<string, { generation: number; version: number; steps: Map<string, Step[]> }>>();
const dealsNow = new WeakMap<TypeSnapshot, { generation: number; pipelines: string; deals: DealNow[] }>();

function historiesOf(pipelines: Pipeline[], pipeline: Pipeline, log: StageMoveLog, snapshot: TypeSnapshot): DealHistory[] {
  let byPipeline = steps.get(log);
  if (!byPipeline) steps.set(log, (byPipeline = new Map()));
  let held = byPipeline.get(pipeline.key);
  if (held?.generation !== log.generation || held.version !== pipeline.version) {
    held = { generation: log.generation, version: pipeline.version, steps: stepsByDeal(pipeline, log.moves) };
    byPipeline.set(pipeline.key, held);
  }
  const shape = JSON.stringify(pipelines.map((p) => [p.key, p.version]));
  let now = dealsNow.get(snapshot);
  if (now?.generation !== snapshot.generation || now.pipelines !== shape) {
    now = { generation: snapshot.generation, pipelines: shape, deals: [...snapshot.records.values()].map((record) => dealNow(pipelines, record)) };
    dealsNow.set(snapshot, now);
  }
  return dealHistories(now.deals, held.steps);
}

/** A deal record as the reports read it: its pipeline and stage by key (as deal-stage.ts stores them; an old value by what it names). */
function dealNow(pipelines: Pipeline[], record: StoredRecord): DealNow {
  const pipeline = pipelineNamed(pipelines, record.pipeline);
  const money = record.amount as Money | null | undefined;
  return {
    id: record.id,
    owner: record.owner,
    pipeline: pipeline?.key ?? String(record.pipeline),
    stage: (pipeline && stageNamed(pipeline, record.stage)?.key) ?? String(record.stage),
    amount: money ? { minor: Number(toMinor(money)), currency: money.currency } : null,
    probability: typeof record.probability === 'number' ? record.probability : null,
    expectedClose: typeof record.expectedClose === 'string' ? record.expectedClose : null,
  };
}

/** The currency asked for, else the one most of the pipeline's deals are in; and how many are in another. */
function currencyOf(histories: DealHistory[], pipeline: Pipeline, asked: string | undefined): { currency: string | null; otherCurrencyDeals: number } {
  const counts = new Map<string, number>();
  for (const { deal } of histories) if (deal.pipeline === pipeline.key && deal.amount) counts.set(deal.amount.currency, (counts.get(deal.amount.currency) ?? 0) + 1);
  const currency = asked ?? [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
  let other = 0;
  for (const [code, count] of counts) if (code !== currency) other += count;
  return { currency, otherCurrencyDeals: other };
}
