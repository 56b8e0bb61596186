/**
 * Importing deals' stage histories (`POST /api/imports?type=stage-moves`): a CSV of moves
 * (contracts/stage-moves.ts STAGE_MOVE_COLUMNS), one a row, for deals that exist (named by id, or
 * by a name one deal the importer sees has). Each deal's moves, in the order of their `at`, go
 * through the deal's stage rule (deals/deal-stage.ts, as given moves: each stage its pipeline's,
 * a lost one with a reason) and are written in ONE transaction with the deal's change to the stage
 * of its last move: a deal and its history commit together or not at all. A deal never changed
 * since its creation loses its creation's move (its history is the file's, not the import's).
 *
 * A deal with a refused row is not imported (each refused row named, line and column); the
 * others are. A file sent again writes nothing twice: a move the deal has already (same time,
 * same stage) is known, not written, and a deal with no new move is not changed. So a request
 * takes the deals its work budget allows (records/work-budget.ts) and answers the rest `later`,
 * for the client to send the file again.
 */
import { Readable } from 'node:stream';
import { MAX_MOVES_PER_DEAL, MAX_STAGE_MOVE_ROWS, STAGE_MOVE_COLUMNS, type StageMoveColumn, type StageMoveImport } from '../contracts/stage-moves.ts';
import { lossReasonNamed, pipelineNamed, stageNamed, type Pipeline } from '../contracts/deal-stages.ts';
import { IsoDate, IsoDateTime, ULID } from '../contracts/values.ts';
import { userNamed } from '../contracts/user-labels.ts';
import type { Principal } from '../access/permissions.ts';
import { csvRows } from '../csv/csv-rows.ts';
import type { GivenMove } from '../deals/deal-stage.ts';
import { tenantPipelines } from '../deals/pipelines.ts';
import { dealStageMoves, stageMoveKey } from '../deals/stage-moves.ts';
import { DomainError } from '../errors/domain-error.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { VersionConflictError, type StoredRecord } from '../records/errors.ts';
import { recordSchemaFor } from '../records/record-schema.ts';
import { recordTypeNamed } from '../records/record-types.ts';
import { planChange } from '../records/records.ts';
import { commit, visibleRecords } from '../records/repository.ts';
import { bytesRead, inParallelWithinBudget } from '../records/work-budget.ts';
import { tableName } from '../store/commands.ts';
import { directoryLabels } from '../views/shown-names.ts';
import { recordsByName } from '../views/records-by-name.ts';

type Refusal = StageMoveImport['refused'][number];

/** A row read: its deal, and the move it gives. */
interface RowMove extends GivenMove {
  deal: StoredRecord;
  pipeline: Pipeline;
}

/** Deals written at once (each one transaction). */
const WRITERS = 8;
/** Refused rows the answer lists at most (the count of moves says how many went in). */
const MAX_REFUSALS = 1_000;

export async function importStageHistory(actor: Principal, bytes: Uint8Array): Promise<StageMoveImport> {
  const rows: string[][] = [];
  for await (const row of csvRows(Readable.from([bytes]))) {
    if (row.every((cell) => cell.trim() === '')) continue;
    rows.push(row);
    // The header and one row past the limit are enough to refuse it.
    if (rows.length > MAX_STAGE_MOVE_ROWS + 1) break;
  }
  const [header = [], ...body] = rows;
  if (body.length > MAX_STAGE_MOVE_ROWS) throw new FieldValidationError([{ path: 'file', message: `has more than ${MAX_STAGE_MOVE_ROWS.toLocaleString('en')} moves: split it (each deal's moves in one file)` }]);
  const column = columnsOf(header);
  const read = new RowReader(actor, await tenantPipelines(actor.tenant));
  await read.prepare(body.map((cells) => cells[column.deal!]?.trim() ?? ''));
  const refused: Refusal[] = [];
  const byDeal = new Map<string, RowMove[]>();
  const refusedDeals = new Set<string>();
  body.forEach((cells, i) => {
    const line = i + 2;
    const cell = (name: StageMoveColumn) => (column[name] === undefined ? '' : (cells[column[name]!] ?? '').trim());
    const outcome = read.row(line, cell);
    if ('refused' in outcome) {
      refused.push(...outcome.refused);
      if (outcome.deal) refusedDeals.add(outcome.deal);
      return;
    }
    byDeal.set(outcome.deal.id, [...(byDeal.get(outcome.deal.id) ?? []), outcome]);
  });

  const answer: StageMoveImport = { moves: 0, deals: 0, known: 0, refused, later: 0 };
  const schema = await recordSchemaFor(actor.tenant, recordTypeNamed('deal')!);
  const deals = [...byDeal].filter(([id]) => !refusedDeals.has(id));
  // 1,000 deals of five moves took 30 s on a busy two-core machine, past the gateway's 29 s: the
  // deals past the budget are left for the file's next sending.
  const left = await inParallelWithinBudget(deals, WRITERS, async ([, moves]) => {
    try {
      const written = await writeHistory(actor, schema, moves);
      answer.moves += written.moves;
      answer.known += written.known;
      if (!written.moves) return 0; // known already: read, not written again (the file's next sending goes past it)
      answer.deals++;
    } catch (err) {
      if (err instanceof FieldValidationError) refused.push(...err.issues.map((issue) => ({ line: lineOf(issue.path, moves[0].line), path: issue.path.replace(/^line \d+\.?/, ''), message: issue.message })));
      else if (err instanceof VersionConflictError) refused.push({ line: moves[0].line, path: 'deal', message: 'changed while the file was imported: import its rows again' });
      // Trashed meanwhile, grown too large: that deal is refused, not the file.
      else if (err instanceof DomainError) refused.push({ line: moves[0].line, path: 'deal', message: err.message });
      else throw err;
    }
    return bytesRead(moves[0].deal);
  });
  answer.later = left.length;
  answer.refused = refused.sort((a, b) => a.line - b.line).slice(0, MAX_REFUSALS);
  return answer;
}

/** One deal's moves and its change to where they end, in one transaction; moves it has already are left out. */
async function writeHistory(actor: Principal, schema: Awaited<ReturnType<typeof recordSchemaFor>>, rows: RowMove[]): Promise<{ moves: number; known: number }> {
  const { deal, pipeline } = rows[0];
  const had = await dealStageMoves(actor.tenant, deal.id);
  const sorted = [...rows].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.line - b.line));
  const fresh = sorted.filter((move) => !had.some((known) => known.at === move.at && known.to === stageNamed(pipeline, move.to)?.key));
  if (!fresh.length) return { moves: 0, known: rows.length };
  if (fresh.length > MAX_MOVES_PER_DEAL) throw new FieldValidationError([{ path: `line ${fresh[MAX_MOVES_PER_DEAL].line}.deal`, message: `has more than ${MAX_MOVES_PER_DEAL} moves in the file: import the rest in another file` }]);
  // A move without `from` comes from the one before it (the first: the deal's creation).
  const given = fresh.map((move, i) => ({ ...move, from: move.from ?? (i === 0 ? null : fresh[i - 1].to) }));
  const last = given.at(-1)!;
  const lost = stageNamed(pipeline, last.to)?.outcome === 'lost';
  const fields = { pipeline: pipeline.key, stage: last.to, ...(lost ? { lossReason: last.lossReason ?? null, lossComment: last.lossComment ?? null } : {}) };
  const write = await planChange(actor, schema, deal, deal.version, fields, new Date().toISOString(), { source: 'import', given });
  // Never changed since its creation: the creation's move was the import of the deal, not its history.
  if (deal.version === 1 && had.length === 1 && had[0].from === null) write.items.push({ Delete: { TableName: tableName(), Key: stageMoveKey(actor.tenant, had[0]) } });
  await commit(actor, [write]);
  return { moves: given.length, known: rows.length - fresh.length };
}

const lineOf = (path: string, fallback: number) => Number(/^line (\d+)/.exec(path)?.[1] ?? fallback);

/** Where each column is; `deal`, `to` and `at` are required, a column of no other name is refused. */
function columnsOf(header: string[]): Partial<Record<StageMoveColumn, number>> {
  const column: Partial<Record<StageMoveColumn, number>> = {};
  const issues: Array<{ path: string; message: string; value?: unknown }> = [];
  header.forEach((cell, i) => {
    const name = STAGE_MOVE_COLUMNS.find((known) => known.toLowerCase() === cell.trim().toLowerCase());
    if (!name) issues.push({ path: `header.${i}`, message: `is no column of a stage history: ${STAGE_MOVE_COLUMNS.join(', ')}`, value: cell });
    else if (column[name] !== undefined) issues.push({ path: `header.${i}`, message: `repeats column ${name}`, value: cell });
    else column[name] = i;
  });
  for (const name of ['deal', 'to', 'at'] as const) if (column[name] === undefined) issues.push({ path: 'header', message: `needs a column ${name}` });
  if (issues.length) throw new FieldValidationError(issues);
  return column;
}

/** Reads rows into moves: the deal named, its pipeline, the time, the user. */
class RowReader {
  private dealsById = new Map<string, StoredRecord>();
  private dealsByName: (name: string) => Array<{ id: string }> = () => [];
  private users: Awaited<ReturnType<typeof directoryLabels>> | undefined;

  constructor(
    private readonly actor: Principal,
    private readonly pipelines: readonly Pipeline[],
  ) {}

  /** Reads the deals the file names (by id in one batch, by name from the snapshot's index) and the directory. */
  async prepare(names: string[]): Promise<void> {
    const ids = [...new Set(names.filter((name) => ULID.test(name)))];
    for (const deal of await visibleRecords(this.actor, ids.map((id) => ({ type: 'DEAL', id })))) this.dealsById.set(deal.id, deal);
    if (names.some((name) => name && !ULID.test(name))) {
      const named = await recordsByName(this.actor, 'DEAL');
      this.dealsByName = named;
      const byName = [...new Set(names.filter((name) => name && !ULID.test(name)))].flatMap((name) => named(name).map((record) => record.id));
      for (const deal of await visibleRecords(this.actor, byName.map((id) => ({ type: 'DEAL', id })))) this.dealsById.set(deal.id, deal);
    }
    this.users = await directoryLabels(this.actor.tenant);
  }

  row(line: number, cell: (name: StageMoveColumn) => string): RowMove | { refused: Refusal[]; deal?: string } {
    const refused: Refusal[] = [];
    const refuse = (path: StageMoveColumn, message: string) => refused.push({ line, path, message });
    const deal = this.dealOf(cell('deal'));
    if (typeof deal === 'string') return { refused: [{ line, path: 'deal', message: deal }] };
    const pipeline = pipelineNamed(this.pipelines, cell('pipeline') || deal.pipeline);
    if (!pipeline) return { refused: [{ line, path: 'pipeline', message: `must be one of ${this.pipelines.map((p) => p.label).join(', ')}` }], deal: deal.id };
    const at = timeOf(cell('at'));
    if (!at) refuse('at', 'must be a date like 2026-03-31 or a date and time like 2026-03-31T09:30:00Z');
    const byText = cell('by');
    const by = byText ? userNamed(this.users!.users.map((user) => ({ ...user, active: true })), this.users!.labels, byText) : { user: { sub: this.actor.sub } };
    if ('refused' in by) refuse('by', by.refused);
    const amountText = cell('amount');
    const amount = amountText === '' ? null : Number(amountText);
    if (amount !== null && !(Number.isFinite(amount) && amount >= 0)) refuse('amount', 'must be a number like 1234.50');
    if (cell('to') === '') refuse('to', 'is required: the stage the deal moved to');
    const reason = cell('lossReason');
    if (reason && !lossReasonNamed(pipeline, reason)) refuse('lossReason', `must be one of ${pipeline.lossReasons.map((r) => r.label).join(', ')}`);
    if (cell('lossComment').length > 1_000) refuse('lossComment', 'has more than 1,000 characters');
    if (refused.length) return { refused, deal: deal.id };
    return {
      line,
      deal,
      pipeline,
      from: cell('from') || null,
      to: cell('to'),
      at: at!,
      by: 'user' in by ? by.user.sub : this.actor.sub,
      amount,
      lossReason: reason || null,
      lossComment: cell('lossComment') || null,
    };
  }

  /** The deal a cell names (an id, or a name exactly one visible deal has), or why none. */
  private dealOf(text: string): StoredRecord | string {
    if (!text) return 'is required: a deal\'s id or name';
    if (ULID.test(text)) return this.dealsById.get(text) ?? 'is no deal you can see';
    const named = this.dealsByName(text);
    if (named.length > 1) return `${named.length} deals are named "${text}": use the deal's id`;
    return (named[0] && this.dealsById.get(named[0].id)) ?? `no deal you can see is named "${text}"`;
  }
}

/** A time as moves store it (ISO, UTC, milliseconds), from a date (its midnight UTC) or a date and time. */
function timeOf(text: string): string | undefined {
  if (IsoDate.safeParse(text).success) return new Date(`${text}T00:00:00Z`).toISOString();
  if (IsoDateTime.safeParse(text).success) return new Date(text).toISOString();
  return undefined;
}
