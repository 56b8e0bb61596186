/** A notification about a task, to each user of an audience: its id from `idParts` and the recipient, so telling twice keeps one. */
import type { NotificationKind } from '../contracts/notifications.ts';
import type { Task } from '../contracts/tasks.ts';
import { notificationIdOf, notify } from './notifications.ts';
import { recipientsOf, type Audience } from './recipients.ts';

export async function tellAboutTask(tenant: string, task: Task, kind: NotificationKind, to: Audience, idParts: readonly string[], createdAt: string): Promise<void> {
  const recipients = await recipientsOf(tenant, to);
  await Promise.all(
    recipients.map((recipient) =>
      notify({
        tenant,
        recipient,
        notification: { id: notificationIdOf(tenant, task.id, ...idParts, kind, recipient), kind, title: task.title, process: task.process, link: { task: task.id }, due: task.due, createdAt },
      }),
    ),
  );
}
