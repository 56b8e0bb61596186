/**
 * The user pool's custom message trigger (Cognito invokes it before it mails a message;
 * local/identity invokes the same handler): the invitation, and its resend, name the company
 * the user is invited to (the tenant's name, tenants/tenant-name.ts) and link to the app's
 * sign-in page (APP_URL; none when it is empty). A pool-wide template can do neither: it knows
 * no tenant. Cognito fills in the user name and the temporary password at its placeholders,
 * which the message keeps as the event gives them. Every other message is left as the pool has it.
 */
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { ENV, TENANT_ATTRIBUTE } from '../../infra/app-resources.ts';
import { TENANT_PATTERN } from '../store/item-kinds.ts';
import { tenantName } from '../tenants/tenant-name.ts';
import { invitation } from './invitation-text.ts';

export async function handler(event: CustomMessageTriggerEvent): Promise<CustomMessageTriggerEvent> {
  // An administrator's invitation and its resend (AdminCreateUser with MessageAction RESEND) both come as AdminCreateUser.
  if (event.triggerSource !== 'CustomMessage_AdminCreateUser') return event;
  const tenant = event.request.userAttributes[`custom:${TENANT_ATTRIBUTE}`];
  if (!tenant || !TENANT_PATTERN.test(tenant)) return event;
  const company = await tenantName(tenant);
  const message = invitation({ company, signInUrl: signInUrl(), username: event.request.usernameParameter ?? '{username}', password: event.request.codeParameter });
  event.response.emailSubject = message.subject;
  event.response.emailMessage = message.html;
  return event;
}

/** The app's sign-in page, when the app's address is known. */
function signInUrl(): string | undefined {
  const appUrl = process.env[ENV.appUrl];
  return appUrl ? new URL('/signin', appUrl).href : undefined;
}
