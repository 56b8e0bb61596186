/**
 * The user pool's post-authentication trigger (Cognito invokes it after every password sign-in;
 * local/identity invokes the same handler): writes the sign-in to the tenant's audit log, puts a
 * user created outside the app (the demo administrator, a CLI) into the directory with the role
 * of their groups, and marks an invited user's first sign-in. Returns the event, as Cognito expects.
 */
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { TENANT_PATTERN } from '../store/item-kinds.ts';
import { TENANT_ATTRIBUTE } from '../../infra/app-resources.ts';
import { recordAuditEvent } from '../audit/audit-log.ts';
import { registerSignIn } from './users.ts';
import { groupsOfAccount } from './identity-admin.ts';

export async function handler(event: PostAuthenticationTriggerEvent): Promise<PostAuthenticationTriggerEvent> {
  const attributes = event.request.userAttributes;
  const tenant = attributes[`custom:${TENANT_ATTRIBUTE}`];
  // A user of no tenant can sign in but reaches no data (the API answers 403 NoTenant): nothing to log under.
  if (!tenant || !TENANT_PATTERN.test(tenant)) return event;
  // Cognito's event carries no client address; a client may pass one (the local pool passes what it saw).
  const sourceIp = event.request.clientMetadata?.sourceIp;
  const actor = { tenant, sub: attributes.sub, email: attributes.email, sourceIp };
  await registerSignIn(actor, () => groupsOfAccount(event.userPoolId, event.userName));
  await recordAuditEvent(actor, { action: 'sign-in', target: `user:${actor.sub}` });
  return event;
}
