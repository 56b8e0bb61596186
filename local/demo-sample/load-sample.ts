/**
 * Writes a sample (sample.ts) into a tenant through the product's own API, as its administrator:
 * teams and invited users, pipelines, CSV imports of products, companies, contacts and deals,
 * owners handed out by bulk changes, the deals' stage history by the stage-moves import, and
 * quick sales started on deals. So the sample obeys every rule the API enforces.
 *
 * Every step can run again: teams and users are looked up first, imported rows get ids derived
 * from the file (the same file again creates nothing), an owner already right is not changed,
 * a sale starts once per idempotency key. A load cut short (Ctrl-C, a crash) is resumed by
 * loading the same sample again.
 */
import Papa from 'papaparse';
import type { Money } from '../../functions/contracts/money.ts';
import type { StageMoveColumn, StageMoveImport } from '../../functions/contracts/stage-moves.ts';
import type { ImportJob } from '../../functions/contracts/imports.ts';
import type { Sample, SampleDeal, SampleMove } from './sample.ts';

/** Where to load: the app's URL and an administrator's ID token. */
export interface SampleTarget {
  url: string;
  token: string;
}

/** What was written, per kind, for the log and the tests. */
export type SampleCounts = Record<'teams' | 'users' | 'pipelines' | 'products' | 'companies' | 'contacts' | 'deals' | 'owners' | 'moves' | 'quickSales', number>;

export class SampleLoadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SampleLoadError';
  }
}

/** Rows per import request: each runs within one API call's 30 s, well under its 1 MiB body. */
const IMPORT_ROWS = 400;
/** Cells per bulk request (the API's most). */
const BULK_CELLS = 1000;

/**
 * How far a load cut short got with what is not idempotent by itself: the stage-moves files
 * imported (a history imported twice would be twice as long).
 */
export interface SampleLoadState {
  moveFiles: number;
}

export interface LoadSampleOptions {
  progress?: (line: string) => void;
  /** Where the load before stopped (default: nothing done). */
  state?: SampleLoadState;
  /** Called as the state moves on, to be kept for a load after this one. */
  saveState?: (state: SampleLoadState) => void;
}

export async function loadSample(target: SampleTarget, sample: Sample, { progress = () => {}, state = { moveFiles: 0 }, saveState = () => {} }: LoadSampleOptions = {}): Promise<SampleCounts> {
  const api = apiOf(target);
  const counts = {} as SampleCounts;
  const step = async <T>(name: keyof SampleCounts, run: () => Promise<T & { count: number }>): Promise<T> => {
    const started = Date.now();
    const result = await run();
    counts[name] = result.count;
    progress(`${name}: ${result.count} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  };

  const { teamIds } = await step('teams', () => ensureTeams(api, sample));
  const { subs } = await step('users', () => ensureUsers(api, sample, teamIds));
  await step('pipelines', () => ensurePipelines(api, sample));

  await step('products', () => importRows(api, 'products', sample.products.map((p) => ({ name: p.name, sku: p.sku, price: moneyCell(p.price), description: p.description }))));
  await step('companies', () =>
    importRows(api, 'companies', sample.companies.map((c) => ({ name: c.name, domain: c.domain, industry: c.industry, size: c.size, address: JSON.stringify(c.address), phones: c.phones.join('; ') }))),
  );
  await step('contacts', () =>
    importRows(api, 'contacts', sample.contacts.map((c) => ({ name: c.name, position: c.position, emails: c.emails.join('; '), phones: c.phones.join('; '), companyIds: c.company }))),
  );
  await step('deals', () => importRows(api, 'deals', sample.deals.map((deal) => dealRow(deal, sample))));

  // The history before any other change of the deals: a deal changed only by its creation has
  // its creation's move (at the import, now) replaced by the history's own (pipelines/stage-history-import.ts).
  await step('moves', async () => importMoves(api, sample.moves, await recordsByName(api, 'deals'), state, saveState));
  const owned = { company: sample.companies, contact: sample.contacts, deal: sample.deals };
  const records = await step('owners', () => handOwners(api, owned, subs));
  await step('quickSales', () => startQuickSales(api, sample, records.deal));
  return counts;
}

type Api = (method: string, path: string, body?: unknown, expect?: number[]) => Promise<any>;

function apiOf({ url, token }: SampleTarget): Api {
  return async (method, path, body, expect = [200, 201]) => {
    const isFile = body instanceof Uint8Array;
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': isFile ? 'application/octet-stream' : 'application/json' }),
      },
      body: body === undefined ? undefined : isFile ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expect.includes(response.status)) throw new SampleLoadError(`${method} ${path} answered ${response.status}: ${text.slice(0, 2000)}`, response.status);
    return text ? JSON.parse(text) : undefined;
  };
}

async function ensureTeams(api: Api, sample: Sample) {
  const existing: Array<{ id: string; name: string }> = (await api('GET', '/api/teams')).items;
  const teamIds = new Map<string, string>();
  for (const team of sample.teams) {
    const found = existing.find((t) => t.name === team.name) ?? (await api('POST', '/api/teams', { name: team.name, supervisor: null }));
    teamIds.set(team.name, found.id);
  }
  return { teamIds, count: teamIds.size };
}

async function ensureUsers(api: Api, sample: Sample, teamIds: Map<string, string>) {
  const existing: Array<{ sub: string; email: string }> = (await api('GET', '/api/users')).items;
  const subs = new Map<string, string>();
  for (const user of sample.users) {
    const found = existing.find((u) => u.email === user.email) ?? (await api('POST', '/api/users', { email: user.email, name: user.name, role: user.role, teams: [teamIds.get(user.team)] }));
    subs.set(user.email, found.sub);
  }
  await ensureSupervisors(api, sample, teamIds, subs);
  return { subs, count: subs.size };
}

async function ensureSupervisors(api: Api, sample: Sample, teamIds: Map<string, string>, subs: Map<string, string>) {
  const teams: Array<{ id: string; supervisor: string | null; version: number }> = (await api('GET', '/api/teams')).items;
  for (const team of sample.teams) {
    const current = teams.find((t) => t.id === teamIds.get(team.name))!;
    const supervisor = subs.get(team.supervisor)!;
    if (current.supervisor !== supervisor) await api('PATCH', `/api/teams/${current.id}`, { version: current.version, fields: { supervisor } });
  }
}

/** The sample's pipelines, added or made as the sample has them (the default one is the tenant's seed). */
async function ensurePipelines(api: Api, sample: Sample) {
  const existing: Array<{ key: string; version: number } & Record<string, unknown>> = (await api('GET', '/api/pipelines')).items;
  for (const pipeline of sample.pipelines) {
    const current = existing.find((p) => p.key === pipeline.key);
    if (!current) await api('POST', '/api/pipelines', pipeline);
    else if (!sameAs(current, pipeline)) await api('PUT', `/api/pipelines/${pipeline.key}`, { version: current.version, pipeline });
  }
  return { count: sample.pipelines.length };
}

/** Whether a stored object has every value of `wanted` (it may have more: its version, ...). */
function sameAs(stored: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) return Array.isArray(stored) && stored.length === wanted.length && wanted.every((value, i) => sameAs(stored[i], value));
  if (wanted && typeof wanted === 'object') return !!stored && typeof stored === 'object' && Object.entries(wanted).every(([key, value]) => sameAs((stored as Record<string, unknown>)[key], value));
  return stored === wanted;
}

type Row = Record<string, unknown>;

/**
 * Imports rows as CSV files of at most IMPORT_ROWS rows, rows of one `group` in one file. The
 * same rows in the same files derive the same record ids, so a file imported before counts its
 * rows as duplicates, not new records. A row refused or imported with cells left out, or a column
 * the import does not take, is a fault of the sample: it stops. `skip`: files imported before;
 * `done`: told of each file imported.
 */
async function importRows(api: Api, type: string, rows: Row[], { groupOf = (row: Row): unknown => row, skip = 0, done = (_files: number) => {} } = {}) {
  let count = 0;
  const files = inFiles(rows, groupOf);
  for (let n = skip; n < files.length; n++) {
    const file = files[n];
    const answer = await api('POST', `/api/imports?type=${type}`, new TextEncoder().encode(Papa.unparse(file, { columns: Object.keys(file[0]) })));
    count += type === STAGE_MOVES ? historyImported(answer) : rowsImported(type, answer);
    done(n + 1);
  }
  return { count };
}

const STAGE_MOVES = 'stage-moves';

/** The rows of an import job (contracts/imports.ts ImportJob) written or there already. */
function rowsImported(type: string, job: ImportJob): number {
  if (job.status !== 'done' || job.bad > 0 || (job.partial ?? 0) > 0 || job.ignoredColumns.length > 0) {
    const { status, bad, partial, ignoredColumns, errors } = job;
    throw new SampleLoadError(`the sample's ${type} did not import cleanly: ${JSON.stringify({ status, bad, partial, ignoredColumns, errors: errors.slice(0, 5) })}`);
  }
  return job.ok + job.duplicates;
}

/** The moves of a stage history import (contracts/stage-moves.ts StageMoveImport) written or there already. */
function historyImported(answer: StageMoveImport): number {
  if (answer.refused.length > 0) throw new SampleLoadError(`the sample's stage history did not import cleanly: ${JSON.stringify(answer.refused.slice(0, 5))}`);
  return answer.moves + answer.known;
}

/** Rows in files of at most IMPORT_ROWS, consecutive rows of one group kept in one file. */
function inFiles<T>(rows: T[], groupOf: (row: T) => unknown): T[][] {
  const groups: T[][] = [];
  rows.forEach((row, i) => (i > 0 && groupOf(row) === groupOf(rows[i - 1]) ? groups.at(-1)!.push(row) : groups.push([row])));
  const files: T[][] = [];
  for (const group of groups) {
    const last = files.at(-1);
    if (last && last.length + group.length <= IMPORT_ROWS) last.push(...group);
    else files.push([...group]);
  }
  return files;
}

const moneyCell = (money: Money) => `${money.amount} ${money.currency}`;

/**
 * A deal as created: in its pipeline's first stage, as its first move (the creation) has it; the
 * stage-moves import then moves it through its history to where it ends.
 */
function dealRow(deal: SampleDeal, sample: Sample) {
  return {
    name: deal.name,
    pipeline: deal.pipeline,
    stage: sample.pipelines.find((pipeline) => pipeline.key === deal.pipeline)!.stages[0].key,
    amount: moneyCell(deal.amount),
    expectedClose: deal.expectedClose,
    companyId: deal.company,
    contactIds: deal.contacts.join('; '),
  };
}

interface Listed {
  id: string;
  name: string;
  version: number;
  owner: string;
}

/** Every record of a type the administrator sees, by name (the sample's names are unique). */
async function recordsByName(api: Api, plural: string): Promise<Map<string, Listed>> {
  const byName = new Map<string, Listed>();
  let cursor: string | undefined;
  do {
    const page = await api('GET', `/api/${plural}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const record of page.items as Listed[]) byName.set(record.name, record);
    cursor = page.nextCursor;
  } while (cursor);
  return byName;
}

/**
 * Hands each record to its owner in the sample (imports make the administrator the owner), by
 * bulk owner cells: a record already theirs is left alone, cells answered `later` are sent again.
 */
async function handOwners(api: Api, owned: Record<'company' | 'contact' | 'deal', Array<{ name: string; owner: string }>>, subs: Map<string, string>) {
  const plurals = { company: 'companies', contact: 'contacts', deal: 'deals' } as const;
  const records = {} as Record<keyof typeof owned, Map<string, Listed>>;
  let changes: Array<{ type: string; id: string; version: number; field: 'owner'; value: string }> = [];
  for (const type of Object.keys(owned) as Array<keyof typeof owned>) {
    records[type] = await recordsByName(api, plurals[type]);
    for (const { name, owner } of owned[type]) {
      const record = records[type].get(name);
      if (!record) throw new SampleLoadError(`the sample's ${type} ${JSON.stringify(name)} was not imported`);
      const sub = subs.get(owner)!;
      if (record.owner !== sub) changes.push({ type, id: record.id, version: record.version, field: 'owner', value: sub });
    }
  }
  const count = changes.length;
  const byId = new Map(Object.values(records).flatMap((byName) => [...byName.values()].map((record) => [record.id, record] as const)));
  while (changes.length) {
    const batch = changes.slice(0, BULK_CELLS);
    const { results } = await api('POST', '/api/bulk', { changes: batch });
    const later: typeof changes = [];
    batch.forEach((change, i) => {
      const result = results[i];
      if (result.status === 'later') later.push(change);
      else if (result.status !== 'ok') throw new SampleLoadError(`handing the sample's ${change.type} ${change.id} to its owner: ${JSON.stringify(result)}`);
      else Object.assign(byId.get(change.id)!, { version: result.version, owner: change.value });
    });
    changes = [...later, ...changes.slice(BULK_CELLS)];
  }
  return { ...records, count };
}

/**
 * The deals' stage history, dates and all, through the stage-moves import
 * (`POST /api/imports?type=stage-moves`, contracts/stage-moves.ts STAGE_MOVE_COLUMNS): a deal
 * named by its id, who moved it by e-mail, the amount in the deal's currency; the first row of a
 * deal is its creation (no `from`), and the deal ends in the stage of its last.
 */
async function importMoves(api: Api, moves: SampleMove[], deals: Map<string, Listed>, state: SampleLoadState, saveState: (state: SampleLoadState) => void) {
  // A deal's history in one file, in order: the import takes a deal's moves from where it is.
  const rows = [...moves]
    .sort((a, b) => a.deal.localeCompare(b.deal) || a.at.localeCompare(b.at))
    .map((move) => ({
      deal: deals.get(move.deal)!.id,
      pipeline: move.pipeline,
      from: move.from ?? '',
      to: move.to,
      at: move.at,
      by: move.by,
      amount: move.amount.amount,
      lossReason: move.lossReason ?? '',
      lossComment: move.lossComment ?? '',
    })) satisfies Array<Record<StageMoveColumn, string>>;
  return importRows(api, STAGE_MOVES, rows, { groupOf: (row) => row.deal, skip: state.moveFiles, done: (moveFiles) => saveState({ ...state, moveFiles }) });
}

async function startQuickSales(api: Api, sample: Sample, deals: Map<string, Listed>) {
  const products = await recordsByName(api, 'products');
  for (const sale of sample.quickSales) {
    const lines = sale.lines.map((line) => {
      const product = sample.products.find((p) => p.name === line.product)!;
      return { productId: products.get(line.product)!.id, name: product.name, quantity: line.quantity, unitPrice: product.price, discount: line.discount };
    });
    await api('POST', `/api/deals/${deals.get(sale.deal)!.id}/processes`, { process: 'quick-sale', idempotencyKey: sale.key, input: { lines, delivery: sale.delivery } });
  }
  return { count: sample.quickSales.length };
}
