/**
 * Notifications as both sides know them: what a person is told (a task offered to them or their
 * team, reassigned to them, a reminder, an escalation to them as supervisor, a follow-up), the
 * page the bell reads, and the body that marks some or all read (see functions/notifications/).
 */
import { z } from 'zod';
import { PROCESS_NAMES } from './processes.ts';

/**
 * Why a person is told: `offered` a task assigned to them; `team-offered` one offered to a team
 * of theirs; `reassigned` one given to them by someone else; `reminder` one of theirs whose time
 * is running out; `escalated` one not done in time, to its team's supervisor; `follow-up` a
 * follow-up for the account owner (a poor quality rating).
 */
export const NOTIFICATION_KINDS = ['offered', 'team-offered', 'reassigned', 'reminder', 'escalated', 'follow-up'] as const;
export const NotificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** How the app says each kind, in the bell and in the e-mail's subject. */
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  offered: 'Assigned to you',
  'team-offered': 'New for your team',
  reassigned: 'Reassigned to you',
  reminder: 'Reminder',
  escalated: 'Escalated to you',
  'follow-up': 'Follow-up for you',
};

/** The change feed's type of a user's notification changes (told to that user only): the bell reads its page again. */
export const NOTIFICATION_FEED_TYPE = 'NOTIFICATION';

/** A notification's id: derived from what it tells (the same change told twice is one). */
export const NotificationId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a notification id');

/** What a notification opens: its task (the inbox) or its process instance. */
export const NotificationLink = z.union([z.strictObject({ task: z.string().regex(/^[0-9a-f]{32}$/) }), z.strictObject({ instance: z.string().regex(/^[0-9a-f]{32}$/) })]);
export type NotificationLink = z.infer<typeof NotificationLink>;

export const Notification = z.object({
  id: NotificationId,
  kind: NotificationKind,
  /** What it is about: the task's title. */
  title: z.string(),
  process: z.enum(PROCESS_NAMES),
  link: NotificationLink,
  /** The task's due time when it has one. */
  due: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof Notification>;

/** A user keeps at most this many; past it the oldest go. */
export const MAX_KEPT_NOTIFICATIONS = 1_000;
/** At most this many a page. */
export const MAX_NOTIFICATION_PAGE = 100;
/** At most this many ids marked read by one request. */
export const MAX_MARKED_READ = 100;

/** `GET /api/notifications`: newest first. */
export const NotificationListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_NOTIFICATION_PAGE).optional(),
  /** `nextCursor` of the page before. */
  cursor: z.string().regex(/^[0-9TZ:.-]{1,40}#[0-9a-f]{32}$/, 'must be a cursor this list answered').optional(),
});
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;

export const NotificationPage = z.object({
  items: z.array(Notification),
  /** How many of the caller's notifications are unread (all of them, not only this page's). */
  unread: z.number().int().min(0),
  nextCursor: z.string().optional(),
});
export type NotificationPage = z.infer<typeof NotificationPage>;

/** `POST /api/notifications/read`: these (`{ids}`) or every one (`{all: true}`). */
export const MarkReadBody = z
  .strictObject({
    ids: z.array(NotificationId).min(1).max(MAX_MARKED_READ).optional(),
    all: z.literal(true).optional(),
  })
  .refine((body) => (body.ids === undefined) !== (body.all === undefined), { path: ['ids'], message: 'give the ids to mark, or {"all": true}: one of the two' });
export type MarkReadBody = z.infer<typeof MarkReadBody>;

/** What marking answers: how many were marked now (ones read already, or not the caller's, are not), and the unread left. */
export const MarkReadResult = z.object({ marked: z.number().int().min(0), unread: z.number().int().min(0) });
export type MarkReadResult = z.infer<typeof MarkReadResult>;

/** Which kinds a user is also e-mailed (all by default). */
export const NotificationPreferences = z.object({
  email: z.record(NotificationKind, z.boolean()),
  version: z.number().int().min(0),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

/** `PUT /api/notifications/preferences`: the kinds to e-mail (a kind left out keeps its setting), over the version seen. */
export const PutNotificationPreferencesBody = z.strictObject({
  version: z.number().int().min(0),
  email: z.partialRecord(NotificationKind, z.boolean()),
});
export type PutNotificationPreferencesBody = z.infer<typeof PutNotificationPreferencesBody>;

/** Where a notification's link opens in the app: its task in the Inbox, or its instance's page. */
export const notificationPath = (link: NotificationLink): string => ('task' in link ? `/inbox?task=${link.task}` : `/processes/instances/${link.instance}`);
