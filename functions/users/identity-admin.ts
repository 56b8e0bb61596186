/**
 * What the API asks of the identity provider about users: create (Cognito e-mails the
 * invitation with a temporary password), groups, disable/enable, password reset. Cognito in
 * AWS; local/identity answers the same calls on one machine (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER).
 * Every call here is idempotent, so a request retried after a failure later on repeats them safely.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminResetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UnsupportedUserStateException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { ENV, TENANT_ATTRIBUTE } from '../../infra/app-resources.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';

/** The answer's issue when an invitation names an e-mail that has an account (here, or in the directory: users.ts). */
export const emailHasAccount = (email: string): ErrorDetails => ({ issues: [{ path: 'email', message: 'has an account already', value: email }] });

/** The e-mail belongs to an account already (of this tenant or another: one pool holds all). */
export class AccountExistsError extends DomainError {
  readonly code = 'AlreadyExists';

  constructor(readonly email: string) {
    super(`an account with the e-mail ${email} exists already`);
    this.name = 'AccountExistsError';
  }

  details(): ErrorDetails {
    return emailHasAccount(this.email);
  }
}

// Made on first use: the endpoint comes from the environment, which the embedded cloud sets
// only once the gateway listens.
let client: CognitoIdentityProviderClient | undefined;
const cognito = () => (client ??= new CognitoIdentityProviderClient({}));

function userPoolId(): string {
  const id = process.env[ENV.userPoolId];
  if (!id) throw new Error(`${ENV.userPoolId} is not set`);
  return id;
}

const TENANT_CLAIM = `custom:${TENANT_ATTRIBUTE}`;

/**
 * Creates the account and has the invitation sent; answers its `sub`. An account of this
 * tenant with this e-mail that exists already (a retried invitation) is answered as created.
 */
export async function createAccount(tenant: string, email: string, name?: string): Promise<string> {
  try {
    const { User } = await cognito().send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId(),
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          { Name: TENANT_CLAIM, Value: tenant },
          ...(name ? [{ Name: 'name', Value: name }] : []),
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    return attribute(User?.Attributes, 'sub');
  } catch (err) {
    if (!(err instanceof UsernameExistsException)) throw err;
    const existing = await cognito().send(new AdminGetUserCommand({ UserPoolId: userPoolId(), Username: email }));
    if (attribute(existing.UserAttributes, TENANT_CLAIM) !== tenant) throw new AccountExistsError(email);
    return attribute(existing.UserAttributes, 'sub');
  }
}

/** The account has signed in and chosen a password already: there is no invitation to send again. */
export class InvitationAcceptedError extends DomainError {
  readonly code = 'InvitationAccepted';

  constructor(readonly email: string) {
    super(`${email} has signed in already and has a password of their own: reset the password instead`);
    this.name = 'InvitationAcceptedError';
  }
}

/**
 * Sends the invitation again, with a new temporary password (Cognito's AdminCreateUser with
 * MessageAction RESEND, which also restarts the temporary password's validity). Only for an
 * account that has not chosen a password yet (FORCE_CHANGE_PASSWORD).
 */
export async function resendInvitation(email: string): Promise<void> {
  try {
    await cognito().send(new AdminCreateUserCommand({ UserPoolId: userPoolId(), Username: email, MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] }));
  } catch (err) {
    if (err instanceof UnsupportedUserStateException) throw new InvitationAcceptedError(email);
    throw err;
  }
}

/** Puts the user in `group` and out of `previous` (role groups mirror the built-in role). */
export async function moveToGroup(sub: string, previous: string | undefined, group: string | undefined): Promise<void> {
  if (previous && previous !== group) await cognito().send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId(), Username: sub, GroupName: previous }));
  if (group) await cognito().send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId(), Username: sub, GroupName: group }));
}

export async function setAccountEnabled(sub: string, enabled: boolean): Promise<void> {
  const command = enabled ? new AdminEnableUserCommand({ UserPoolId: userPoolId(), Username: sub }) : new AdminDisableUserCommand({ UserPoolId: userPoolId(), Username: sub });
  await cognito().send(command);
}

/** The user must choose a new password; the identity provider e-mails them a code. */
export async function resetAccountPassword(sub: string): Promise<void> {
  await cognito().send(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId(), Username: sub }));
}

/** The groups of a user, as a post-authentication trigger (whose event has none) needs them. */
export async function groupsOfAccount(userPoolIdOfEvent: string, username: string): Promise<string[]> {
  const { Groups } = await cognito().send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolIdOfEvent, Username: username }));
  return (Groups ?? []).map((group) => group.GroupName ?? '').filter(Boolean);
}

function attribute(attributes: Array<{ Name?: string; Value?: string }> | undefined, name: string): string {
  const value = attributes?.find((a) => a.Name === name)?.Value;
  if (!value) throw new Error(`the identity provider answered a user without ${name}`);
  return value;
}
