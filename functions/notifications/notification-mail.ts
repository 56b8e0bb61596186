/**
 * A new notification e-mailed to its recipient (the stream's consumer of notification items),
 * unless they turned its kind off, have no active account, or the deployment names no sender.
 * What was done is recorded on the notification (`mailedAt`, `mailOutcome`), so a notification
 * delivered again by the stream is not mailed again. At least once: a stop between sending and
 * recording sends it again (SES takes no idempotency key). A message SES refuses for good (a bad
 * address) is recorded as refused, not retried: the stream's records after it wait on a retry.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { ENV } from '../../infra/app-resources.ts';
import { NOTIFICATION_KIND_LABELS, notificationPath, type Notification } from '../contracts/notifications.ts';
import { currentDirectory } from '../directory/directory.ts';
import { itemOfImage } from '../store/stream-images.ts';
import { MailError, mailSender, sendMail, type Mail } from './mailer.ts';
import { preferencesOf } from './notification-preferences.ts';
import { recordMailed, storedNotification, storedNotificationOf } from './notifications.ts';

/** The message telling of a notification; the link opens it in the app where its address is known. */
export function mailOf(to: string, notification: Notification, appUrl: string | undefined): Mail {
  const label = NOTIFICATION_KIND_LABELS[notification.kind];
  const lines = [
    `${label}: ${notification.title}`,
    ...(notification.due ? [`Due: ${new Date(notification.due).toUTCString()}`] : []),
    ...(appUrl ? ['', `Open it: ${new URL(notificationPath(notification.link), appUrl).href}`] : []),
    '',
    'You can turn these e-mails off in Sheetflow: the bell, E-mail settings.',
  ];
  return { to, subject: `${label}: ${notification.title}`, text: lines.join('\n') };
}

export async function notificationMailStep(record: DynamoDBRecord): Promise<void> {
  const image = record.eventName === 'INSERT' ? record.dynamodb?.NewImage : undefined;
  if (!image) return;
  const { tenant, recipient, notification } = storedNotificationOf(itemOfImage(image));
  const current = await storedNotification(tenant, recipient, notification.id);
  if (!current || current.mailed) return;
  const from = mailSender();
  const user = (await currentDirectory(tenant)).users.find((each) => each.sub === recipient);
  const wanted = (await preferencesOf(tenant, recipient)).email[notification.kind];
  if (!from || !user?.active || !wanted) {
    await recordMailed(tenant, recipient, notification.id, !from ? 'no sender configured' : !wanted ? 'turned off' : 'no active user');
    return;
  }
  let outcome: string;
  try {
    outcome = `sent ${await sendMail(from, mailOf(user.email, notification, process.env[ENV.appUrl]))}`;
  } catch (err) {
    // Refused for good (a bad address): recorded, not retried, or the stream would hold every change after it.
    if (!(err instanceof MailError && err.permanent)) throw err;
    outcome = `refused: ${(err.cause as Error).message}`.slice(0, 1_000);
  }
  await recordMailed(tenant, recipient, notification.id, outcome);
}
