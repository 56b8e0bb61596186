/**
 * The caller's notifications (the bell): newest first with the unread count, marked read (some or
 * all), and which kinds are e-mailed too. Each user reads and changes only their own: the
 * partition is the caller's (notifications/notifications.ts).
 */
import { MarkReadBody, NotificationListQuery, PutNotificationPreferencesBody, type MarkReadResult, type NotificationPage, type NotificationPreferences } from '../../contracts/notifications.ts';
import { changePreferences, preferencesOf } from '../../notifications/notification-preferences.ts';
import { listNotifications, markRead } from '../../notifications/notifications.ts';
import { json, readBody, readQuery } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';

const OWN = 'the caller\'s own notifications only';

export const notificationRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/notifications',
    access: access.signedIn(OWN),
    handle: async (request) => json(200, (await listNotifications(request.principal, readQuery(request.event, NotificationListQuery))) satisfies NotificationPage),
  },
  {
    method: 'POST',
    path: '/api/notifications/read',
    access: access.signedIn(OWN),
    handle: async (request) => json(200, (await markRead(request.principal, readBody(request.event, MarkReadBody))) satisfies MarkReadResult),
  },
  {
    method: 'GET',
    path: '/api/notifications/preferences',
    access: access.signedIn('the caller\'s own preferences only'),
    handle: async ({ principal }) => json(200, (await preferencesOf(principal.tenant, principal.sub)) satisfies NotificationPreferences),
  },
  {
    method: 'PUT',
    path: '/api/notifications/preferences',
    access: access.signedIn('the caller\'s own preferences only'),
    handle: async (request) => json(200, (await changePreferences(request.principal, readBody(request.event, PutNotificationPreferencesBody))) satisfies NotificationPreferences),
  },
];
