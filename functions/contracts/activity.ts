import { z } from 'zod';
import { ListResponse, recordOf } from './record.ts';
import { defineRecordType } from './record-type.ts';
import { IsoDateTime, RecordId } from './values.ts';
import { LongText, Name } from './text.ts';
import { choiceSchema } from './choices.ts';

/** The kinds of activity: the key `kind` stores, the label people read and type (choices.ts). */
export const ACTIVITY_KINDS = [
  { key: 'task', label: 'Task' },
  { key: 'call', label: 'Call' },
  { key: 'meeting', label: 'Meeting' },
  { key: 'email', label: 'Email' },
  { key: 'note', label: 'Note' },
] as const;

export const ActivityKind = choiceSchema(ACTIVITY_KINDS);

/**
 * A task, call, meeting, e-mail or note. `name` is its subject (every type has a `name`, the
 * record's display name). It links to the records it concerns.
 */
export const ActivityFields = z.strictObject({
  name: Name(300),
  kind: ActivityKind,
  dueAt: IsoDateTime.nullable().optional(),
  /** The user (their `sub`) who is to do it. */
  assignee: z.string().trim().min(1).max(128).nullable().optional(),
  done: z.boolean().optional(),
  notes: LongText(50_000).nullable().optional(),
  companyId: RecordId.nullable().optional(),
  contactId: RecordId.nullable().optional(),
  dealId: RecordId.nullable().optional(),
  leadId: RecordId.nullable().optional(),
});
export type ActivityFields = z.infer<typeof ActivityFields>;

export const activityType = defineRecordType({
  name: 'activity',
  plural: 'activities',
  key: 'ACTIVITY',
  fields: ActivityFields,
  search: [{ field: 'name', kind: 'name' }],
  duplicates: [],
  choices: { kind: ACTIVITY_KINDS },
  relations: [
    { path: 'companyId', target: 'COMPANY' },
    { path: 'contactId', target: 'CONTACT' },
    { path: 'dealId', target: 'DEAL' },
    { path: 'leadId', target: 'LEAD' },
  ],
  users: ['assignee'],
  assignees: ['assignee'],
});

export const Activity = recordOf(ActivityFields);
export type Activity = z.infer<typeof Activity>;
export const ActivityList = ListResponse(Activity);
