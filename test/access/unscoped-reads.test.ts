/**
 * Scope is enforced where records are read: the repository's reads take the actor and keep to
 * what they may see (records/repository.ts). What reads past every scope is named for it (the
 * `...Unscoped` reads, `systemActor`, the tenant-wide type snapshot, a job as stored, every
 * record that points at another) or talks to the table itself; each module that does is listed
 * here with what keeps its answers in scope. A module that starts to, and every route module,
 * fails this test (a route module always: routes never read past the scope): say here why it may,
 * or read through the scoped functions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
/** The table's commands (store/commands.ts): a module that sends them talks to the table itself. */
const TABLE_COMMANDS = new Set(['documentClient', 'getItem', 'putItem', 'deleteItem', 'updateItem', 'queryItems', 'countAll', 'batchGetAll', 'batchPutAll', 'transactWriteItems']);
const PAST_SCOPE = new RegExp(`\\b(readRecordUnscoped|readRecordsUnscoped|listRecordsUnscoped|listChangedSinceUnscoped|systemActor|typeSnapshot|readJob|referrersOf|queryAll|${[...TABLE_COMMANDS].join('|')})\\b`, 'g');

/** Each module that reads past the caller's scope or sends table commands itself, and why its answers keep to the scope. */
const ALLOWED: Record<string, string> = {
  'functions/store/table.ts': 'the table client itself',
  'functions/store/commands.ts': 'the table\'s commands',
  'functions/records/repository.ts': 'defines the scoped reads over the unscoped ones',
  'functions/access/actor.ts': 'defines systemActor, the system acting on its own (no caller)',
  'functions/tenant-items/directory-version.ts': 'no records: the directory version',
  'functions/tenant-items/tenant-items.ts': 'no records: users, teams, roles',
  'functions/audit/audit-log.ts': 'no records: the audit log (administrators only)',
  'functions/changes/feed.ts': 'feed entries, filtered by the actor\'s scope in changesAfter',
  'functions/fields/field-definitions.ts': 'no records: custom field definitions',
  'functions/fields/retired-keys.ts': 'no records: the keys of purged fields (their purge jobs)',
  'functions/purges/field-purge.ts': 'the system removing an expired field\'s values (no caller)',
  'functions/views/views.ts': 'no records: saved views, the caller\'s own and shared ones',
  'functions/views/stored-snapshot.ts': 'the type snapshot\'s stored copy, read only by type-snapshot.ts',
  'functions/views/snapshot-build.ts': 'builds the stored snapshot in the background (no caller)',
  'functions/views/type-snapshot.ts': 'the tenant\'s records of a type in memory; its readers filter by scope',
  'functions/views/view-rows.ts': 'filters the snapshot by the actor\'s scope (access/record-scope.ts)',
  'functions/views/shown-names.ts': 'names a related record only in the actor\'s scope (else Hidden record)',
  'functions/views/records-by-name.ts': 'matches names only among records in the actor\'s scope',
  'functions/search/search-records.ts': 'search entries; hits are read back through visibleRecords',
  'functions/duplicates/find-duplicates.ts': 'duplicate-key lookups (ids); records are read back through visibleRecords',
  'functions/records/reverse-relations.ts': 'reverse-relation entries (ids), for the merge to find every reference',
  'functions/duplicates/referrers.ts': 'every record pointing at another, for the merge to move (whoever owns it)',
  'functions/duplicates/merge.ts': 'moves every reference; its answer names only the records the caller sees (movedHidden counts the rest)',
  'functions/imports/known-records.ts': 'an import\'s duplicates among all the tenant\'s records; the job names them through jobAsSeenBy',
  'functions/imports/import-job.ts': 'the job as stored; a caller reads it through jobAsSeenBy',
  'functions/imports/import-upload.ts': 'the job of an upload started before; the route answers it through jobAsSeenBy',
  'functions/imports/error-rows.ts': 'no records: the rows of an import\'s error file, read only for a job the caller may see (visibleJob)',
  'functions/imports/import-mappings.ts': 'no records: the caller\'s own remembered column mappings, keyed by their sub',
  'functions/api/idempotent-answer.ts': 'no records: the first answer to a request with an idempotency key, stored per caller and given back only to that caller',
  'functions/imports/handler.ts': 'the imports function resuming a job (no caller); it acts as the job\'s creator',
  'functions/tasks/tasks.ts': 'no records: human tasks, shown to their assignee, their team\'s members and administrators (visibleTask, listTasks by the caller\'s own and their teams\' lists)',
  'functions/processes/instances.ts': 'process instances as stored; a caller reads them through visibleInstance and listInstances, which keep to the instances their role\'s process scope holds (access/process-access.ts) whose subject record they see (visibleRecords)',
  'functions/processes/step-index.ts': 'no records: where running instances are (keys) and how many at each step (counts, never instances)',
  'functions/processes/quick-sale-order.ts': 'the processSteps function writing the order to the sale\'s deal as its starter (no caller: the start route checked the starter may update it); answers nothing of the record',
  'functions/processes/step-plans.ts': 'the processSteps function finding the client\'s owner to offer the follow-up to (no caller); answers only who',
  'functions/processes/steps.ts': 'the processSteps function checking the subject still exists before closing (no caller); answers nothing of the record',
  'functions/processes/instance-changes.ts': 'the stream\'s feed entry of an instance (no caller): only the subject\'s owner and assignees go in it, for the feed to decide who hears of the instance as the scoped reads would',
  'functions/notifications/notifications.ts': 'no records: notifications, keyed by their recipient\'s sub; a caller lists and marks only their own',
  'functions/notifications/notification-preferences.ts': 'no records: the caller\'s own e-mail preferences, keyed by their sub',
  'functions/notifications/reminders.ts': 'no records: tasks\' reminder times, swept by the scheduled reminders function (no caller)',
  'functions/processes/process-overview.ts': 'no records: the number of failed instances of a process',
  'functions/deals/pipelines.ts': 'no records: the tenant\'s deal pipelines',
  'functions/deals/stage-moves.ts': 'deals\' stage moves (ids, stages, amounts), for the reports, which keep to the caller\'s scope, and for the stage history import of deals the caller sees (visibleRecords)',
  'functions/pipelines/pipeline-admin.ts': 'an administrator\'s change of the pipelines: counts the deals of a stage (answers numbers, never records) and moves a merged stage\'s deals, whoever owns them',
  'functions/pipelines/stage-entry.ts': 'the stream starting a stage\'s process for a deal that entered it (no caller); it starts as the person who moved the deal',
  'functions/analytics/history-rewrites.ts': 'no records: the deals (ids) whose stage history was rewritten, marked by the stream and read by the reports\' log of moves',
  'functions/analytics/reports.ts': 'the tenant\'s deals (the type snapshot) and stage moves; a report counts only the deals the actor\'s scope holds now (access/record-scope.ts scopeFilter), and only their moves',
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('reads past the caller\'s scope', () => {
  it('happen only in the modules listed, never in a route', () => {
    const using = new Map(
      sources(join(ROOT, 'functions')).flatMap((path) => {
        const names = [...new Set(readFileSync(path, 'utf8').match(PAST_SCOPE) ?? [])];
        return names.length ? [[relative(ROOT, path), names] as const] : [];
      }),
    );
    const unlisted = [...using].filter(([path]) => !ALLOWED[path]).map(([path, names]) => `${path} uses ${names.join(', ')}: read through the scoped functions, or say in ALLOWED why it may`);
    expect(unlisted).toEqual([]);
    // No route reads records itself; the API's own items (an idempotent request's stored answer) are no records.
    expect([...using].filter(([path, names]) => path.startsWith('functions/api/routes/') || (path.startsWith('functions/api/') && names.some((name) => !TABLE_COMMANDS.has(name)))).map(([path]) => path)).toEqual([]);
    // A module that no longer reads past the scope leaves the list.
    expect(Object.keys(ALLOWED).filter((path) => !using.has(path))).toEqual([]);
  });
});
