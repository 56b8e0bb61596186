/**
 * Related records a file names that do not exist (a contact's company "Initech" that no company
 * is called): counted for the report, so the import dialog can offer to create them, and
 * created when the import is asked to (`createMissing`): one record per name (case, accents and
 * spaces aside) with that name alone, owned by the importer, before the rows that name it.
 *
 * A created record's id derives, as a row's does, from the file: the name and the first row
 * naming it (its line and cells), and from the importer. Its creation is conditional on the id
 * being new, so a stretch retried after a crash, or the same file imported twice at once, finds
 * the one created for that name and never makes a second "Initech"; a later file finds it by
 * name like any other. The importer's part: names match only records the importer may see
 * (cell-names.ts), so to someone who may not see the "Initech" another's import of the same
 * file created, it is missing; they get one of their own, as they would typing it, rather than
 * a link they may not make to one they cannot see.
 */
import { foldName } from '../contracts/user-labels.ts';
import type { ImportJob } from '../contracts/imports.ts';
import { RecordNotFoundError, VersionConflictError } from '../records/errors.ts';
import type { RecordType } from '../records/keys.ts';
import { recordSchemaFor, type RecordSchema } from '../records/record-schema.ts';
import { recordTypeWithKey } from '../records/record-types.ts';
import { planCreation } from '../records/records.ts';
import { commit, type RecordWrite } from '../records/repository.ts';
import type { Actor } from '../access/actor.ts';
import { inParallel } from '../in-parallel.ts';
import { derivedId } from './derived-id.ts';
import type { MissingNames } from './row-reading.ts';

/** Names listed per field in the job. */
const LISTED_NAMES = 20;
/** Distinct names counted per field (past it the count stops growing). */
const COUNTED_NAMES = 100_000;
const WRITERS = 8;

export class MissingRecords {
  /** Ids created (or found created) by this run. */
  private readonly created = new Set<string>();
  /** The id each name stands for in this run: the first row naming it decides. */
  private readonly ids = new Map<string, string>();
  /** To create before the batch's rows: id -> what. */
  private planned = new Map<string, { target: RecordType; name: string }>();
  private readonly counted = new Map<string, Set<string>>();
  private readonly schemas = new Map<RecordType, RecordSchema>();

  constructor(
    private readonly actor: Actor,
    private readonly job: ImportJob,
    private readonly request: string,
  ) {}

  get creating(): boolean {
    return this.job.settings?.createMissing ?? false;
  }

  /** Counts the names for the report; with `createMissing`, the ids of the records that stand for them (`row`: the row naming them). */
  async resolve(missing: MissingNames, row: { line: number; cells: string[] }): Promise<string[] | undefined> {
    this.count(missing);
    if (!this.creating) return undefined;
    const schema = await this.schemaOf(missing.target);
    if (!schema.create.safeParse({ name: missing.names[0] }).success) return undefined;
    return missing.names.map((name) => {
      const key = `${missing.target}#${foldName(name)}`;
      let id = this.ids.get(key);
      if (!id) {
        id = derivedId([this.actor.tenant, 'named', this.actor.sub, missing.target, foldName(name), row.line, row.cells]);
        this.ids.set(key, id);
        this.planned.set(id, { target: missing.target, name: name.trim() });
      }
      return id;
    });
  }

  /** Ids of records a dry run would have created (its rows may name them, though they are not there). */
  get pending(): string[] {
    return this.job.dryRun ? [...this.created] : [];
  }

  /** Creates what the batch's rows named (a dry run only counts it); afterwards they are rows' relations like any. */
  async createPlanned(at: string, dryRun: boolean): Promise<void> {
    const planned = [...this.planned];
    this.planned = new Map();
    await inParallel(planned, WRITERS, async ([id, { target, name }]) => {
      this.created.add(id);
      if (!dryRun && !(await this.create(id, target, name, at))) return;
      const plural = recordTypeWithKey(target)?.plural ?? target;
      this.job.createdRelated = { ...this.job.createdRelated, [plural]: (this.job.createdRelated?.[plural] ?? 0) + 1 };
    });
  }

  /** Creates the record; false when it was there already. */
  private async create(id: string, target: RecordType, name: string, at: string): Promise<boolean> {
    const write: RecordWrite = await planCreation(this.actor, await this.schemaOf(target), { name }, at, { id, request: this.request });
    try {
      await commit(this.actor, [write]);
      return true;
    } catch (err) {
      // Made for this name from this very row before: by a stretch that crashed, or by the same
      // file imported at the same time. It is the one (in the trash, or handed since to someone
      // whose records the importer does not see: not found; the rows' links to it are refused as any such link).
      if (err instanceof VersionConflictError || err instanceof RecordNotFoundError) return false;
      throw err;
    }
  }

  private count({ field, column, target, names }: MissingNames): void {
    const seen = this.counted.get(field) ?? new Set<string>();
    this.counted.set(field, seen);
    const entry = (this.job.missing ??= []).find((m) => m.field === field) ?? { field, column, type: recordTypeWithKey(target)?.plural ?? target, count: 0, names: [] };
    if (!this.job.missing.includes(entry)) this.job.missing.push(entry);
    for (const name of names) {
      const folded = foldName(name);
      if (seen.has(folded) || seen.size >= COUNTED_NAMES) continue;
      seen.add(folded);
      entry.count++;
      if (entry.names.length < LISTED_NAMES) entry.names.push(name.trim().slice(0, 100));
    }
  }

  private async schemaOf(target: RecordType): Promise<RecordSchema> {
    let schema = this.schemas.get(target);
    if (!schema) {
      schema = await recordSchemaFor(this.actor.tenant, recordTypeWithKey(target)!);
      this.schemas.set(target, schema);
    }
    return schema;
  }
}
