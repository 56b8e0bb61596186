/**
 * Every kind of item in the table, in one list: the one place that builds a partition key.
 *
 * Every key begins with its tenant and then one WORD: `T#<tenant>#<WORD>#...`. A record's items
 * (the record, its history, its duplicate-key lookups; its gsi1 and gsi5 lists) begin with the
 * record type's key as the word (`T#<tenant>#COMPANY#<id>`), every other kind with its own
 * (`T#<tenant>#IMPORT#<job>`). So the words are one namespace: each is claimed once, by a kind
 * here or by a record type (records/record-types.ts claims its keys), and a second claim of a
 * word throws when the module that makes it is loaded. A record type `IMPORT` (or a new kind
 * `COMPANY`) can never share a partition with what is there.
 *
 * Words are whole segments: `IMPORT` and `IMPORTMAPPINGS` cannot meet, as a partition key is only
 * ever asked for whole (a Query's key condition on `pk` or a GSI's key is an equality).
 *
 * A new kind of item: add it to ITEM_KINDS with its word and the parts after it; use
 * `ITEM_KINDS.<kind>.pk(...)` wherever its key is needed (functions/README.md, Key design).
 */

/** Tenants become part of every key, so they are restricted to characters that cannot split one. */
export const TENANT_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A word after the tenant: capitals, digits and `_` (what parseRecordPk and the stream read back), never a `#`. */
const WORD = /^[A-Z][A-Z0-9_]*$/;

/** A record type's key, as the keys of its items are read back (parseRecordPk, parseTypePartition). */
const TYPE_KEY = /^[A-Z_]+$/;

/** Who holds each word: a kind's description, or `record type <KEY>`. */
const claims = new Map<string, string>();

/** Claims `word` for `holder`; throws when it is not a word or another holder has it. */
function claim(word: string, holder: string): void {
  if (!WORD.test(word)) throw new Error(`${holder}: '${word}' is not a key word (capitals, digits and _)`);
  const other = claims.get(word);
  if (other !== undefined) throw new Error(`${holder}: the key word ${word} is taken by ${other}`);
  claims.set(word, holder);
}

/** `T#<tenant>#<word>`, then each part after a `#`. */
const partitionKey = (tenant: string, word: string, parts: readonly string[]) => ['T', tenant, word, ...parts].join('#');

/** A kind of item: its word, and its partition key from the tenant and its own parts. */
export interface ItemKind<Parts extends string[]> {
  readonly word: string;
  readonly holds: string;
  pk(tenant: string, ...parts: Parts): string;
}

/** Registers a kind of item under `word`; throws when the word is taken (by a kind or a record type). */
export function itemKind<Parts extends string[] = []>(word: string, holds: string): ItemKind<Parts> {
  claim(word, holds);
  return {
    word,
    holds,
    pk: (tenant, ...parts) => partitionKey(tenant, word, parts),
  };
}

/** Claims each record type's key as a word (records/record-types.ts, when the types are loaded); throws on one that is taken. */
export function claimRecordTypeKeys(keys: readonly string[]): void {
  for (const key of keys) {
    if (!TYPE_KEY.test(key)) throw new Error(`record type ${key}: a type's key is capitals and _`);
    claim(key, `record type ${key}`);
  }
}

/**
 * The partition keys of a record type's items: `T#<tenant>#<TYPE>`, then the parts (the record
 * and its history: its id; a duplicate-key lookup: `KEY`, the field, the value; the lists of
 * gsi1 and gsi5: none).
 */
export const recordItemsPk = (tenant: string, type: string, ...parts: string[]) => partitionKey(tenant, type, parts);

/** The tenant, the word and the parts after it of a partition key built here (as the stream hands one back); undefined for any other. */
export function parsePartitionKey(pk: string): { tenant: string; word: string; parts: string[] } | undefined {
  const [t, tenant, word, ...parts] = pk.split('#');
  return t === 'T' && tenant && word ? { tenant, word, parts } : undefined;
}

/** The tenant, type and id of a record item's partition key (`T#<tenant>#<TYPE>#<id>`); undefined for any other. */
export function parseRecordItemsPk(pk: string): { tenant: string; type: string; id: string } | undefined {
  const key = parsePartitionKey(pk);
  return key && TYPE_KEY.test(key.word) && key.parts.length === 1 && key.parts[0] ? { tenant: key.tenant, type: key.word, id: key.parts[0] } : undefined;
}

/** The tenant and type of a partition key of `kind` whose one part is a record type's key (FIELDS, SNAPSHOT, ...); undefined for any other. */
export function parseTypePartition(kind: ItemKind<[type: string]>, pk: string): { tenant: string; type: string } | undefined {
  const key = parsePartitionKey(pk);
  return key?.word === kind.word && key.parts.length === 1 && TYPE_KEY.test(key.parts[0]) ? { tenant: key.tenant, type: key.parts[0] } : undefined;
}

/** The words that are taken, and by what: for the test that no two meet. */
export const claimedWords = (): ReadonlyMap<string, string> => claims;

/** Every kind of item that is not a record's, each under its own word. */
export const ITEM_KINDS = {
  /** gsi1: a type's trashed records (`T#<tenant>#TRASH#<TYPE>`), apart from its live ones. */
  trash: itemKind<[type: string]>('TRASH', 'trashed records (gsi1)'),
  /** Search entries: `SEARCH#NAME#<TYPE>#<c>`, `SEARCH#<EMAIL|DOMAIN|PHONE>#<c>` (records/search-keys.ts). */
  search: itemKind<[kind: string, ...rest: string[]]>('SEARCH', 'search entries'),
  /** Reverse relations: `REFS#<target type>#<target id>` (records/reverse-relations.ts). */
  references: itemKind<[target: string, id: string]>('REFS', 'reverse relations'),
  /** A type's saved grid views (views/views.ts). */
  views: itemKind<[type: string]>('VIEWS', 'grid views'),
  /** A type's custom field definitions (fields/field-definitions.ts). */
  fields: itemKind<[type: string]>('FIELDS', 'custom field definitions'),
  /** A type's field purge jobs (purges/field-purge.ts). */
  fieldPurges: itemKind<[type: string]>('FIELDPURGE', 'field purge jobs'),
  /** A stored snapshot and its build (views/stored-snapshot.ts, views/snapshot-build.ts), of a record type or of a kind's items (`STAGEMOVES`: analytics/stored-moves.ts). */
  snapshot: itemKind<[subject: string]>('SNAPSHOT', 'stored snapshots'),
  /** An import job and its error rows (imports/import-job.ts, imports/error-rows.ts). */
  importJob: itemKind<[job: string]>('IMPORT', 'import jobs'),
  /** A user's remembered import mappings (imports/import-mappings.ts). */
  importMappings: itemKind<[sub: string]>('IMPORTMAPPINGS', 'remembered import mappings'),
  /** The change feed (changes/feed.ts). */
  changes: itemKind('CHANGES', 'the change feed'),
  /** The audit log (audit/audit-log.ts). */
  audit: itemKind('AUDIT', 'the audit log'),
  /** A request's stored answer by idempotency key (api/idempotent-answer.ts). */
  idempotency: itemKind<[sub: string, key: string]>('IDEMPOTENCY', 'idempotent answers'),
  /** Process instances (`PROCESS#<id>`) and their lists (`PROCESS#LIST...`, `PROCESS#SUBJECT...`: processes/instances.ts). */
  processes: itemKind<string[]>('PROCESS', 'process instances'),
  /** Human tasks (`TASK#<id>`) and their lists (`TASK#USER...`, `TASK#TEAM...`, `TASK#INSTANCE...`: tasks/tasks.ts). */
  tasks: itemKind<string[]>('TASK', 'human tasks'),
  /** The directory's version (tenant-items/directory-version.ts). */
  directory: itemKind('DIRECTORY', 'the directory version'),
  /** Versioned administrative items (tenant-items/tenant-items.ts), one partition per kind. */
  users: itemKind('USERS', 'users'),
  teams: itemKind('TEAMS', 'teams'),
  roles: itemKind('ROLES', 'custom roles'),
  settings: itemKind('SETTINGS', 'tenant settings'),
  tenants: itemKind('TENANTS', "the tenant's name"),
  /** Processes' configurations, one item per process by its name (processes/quick-sale-config.ts). */
  processConfigs: itemKind('PROCESSCONFIG', 'process configurations'),
  /** The tenant's deal pipelines, one item per pipeline by key, and their set (`#SET`: count and order) (pipelines/pipelines.ts). */
  pipelines: itemKind('PIPELINES', 'deal pipelines'),
  /** Deals' stage moves, in time order (`<at>#<deal>#<version>`), and a deal's on gsi1 (`STAGEMOVES#<deal>`: deals/stage-moves.ts). */
  stageMoves: itemKind<[] | [deal: string]>('STAGEMOVES', 'deal stage moves'),
  /** Deals whose stage history was written in the past or cut (an imported history): the reports read them again (analytics/history-rewrites.ts). */
  historyRewrites: itemKind('MOVEREWRITES', 'rewritten stage histories'),
  /** Business calendars: the tenant's (`TENANT`) and its teams' (by team id) (calendars/calendars.ts). */
  calendars: itemKind('CALENDARS', 'business calendars'),
  /** A user's notifications, their count and e-mail preferences (`NOTICES#<sub>`), and their unread list (`NOTICES#<sub>#UNREAD`: notifications/notifications.ts). */
  notifications: itemKind<[sub: string, ...rest: string[]]>('NOTICES', 'notifications'),
  /** A task's reminders (`REMINDER#<task>`: notifications/reminders.ts). */
  reminders: itemKind<[task: string]>('REMINDER', 'task reminders'),
} as const;

/**
 * The partition keys of a list that spans tenants: work a scheduled sweep finds by time (due
 * reminders), in `shards` partitions `<WORD>#<n>` of an index, so that no partition takes every
 * write. No tenant's key begins so (they begin `T#`), and the word is claimed like a kind's.
 */
export function sweepList(word: string, holds: string, shards: number): { shards: number; pk(shard: number): string; shardOf(id: string): number } {
  claim(word, holds);
  return {
    shards,
    pk: (shard) => `${word}#${shard}`,
    // Spread by the id's last hex digit (ids here are hex hashes or ULIDs: any character does).
    shardOf: (id) => (id.charCodeAt(id.length - 1) || 0) % shards,
  };
}

/** Reminders due, across tenants, by time (gsi5, sparse: a reminder leaves it once it fired). */
export const DUE_REMINDERS = sweepList('REMINDERS', 'due reminders (gsi5, across tenants)', 4);
