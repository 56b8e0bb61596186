import { CfnCondition, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolOperation,
  type UserInvitationConfig,
} from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledge, resourceFinding } from '../nag.ts';
import { ENV, TENANT_ATTRIBUTE, USER_GROUPS } from '../app-resources.ts';
import type { PasswordPolicy } from '../../functions/contracts/auth.ts';
import { invitation as invitationText, TEMPORARY_PASSWORD_DAYS } from '../../functions/users/invitation-text.ts';

/** What the pool asks of a password; the SPA reads it from /config.json to say it before the first try. */
export const PASSWORD_POLICY: PasswordPolicy = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
};

/**
 * The pool's invitation e-mail (Cognito fills in {username} and {####}, the temporary password),
 * with a link to the app's sign-in page when its address is known. A pool-wide template knows no
 * tenant: the custom message trigger (`invitesWith`) writes each tenant's, naming the company;
 * this one is what Cognito mails when the trigger leaves the message as it is.
 */
function invitation(scope: Construct, appUrl: string | undefined): UserInvitationConfig {
  const placeholders = { username: '{username}', password: '{####}' };
  const withoutLink = invitationText(placeholders);
  if (appUrl === undefined) return { emailSubject: withoutLink.subject, emailBody: withoutLink.html };
  const withLink = invitationText({ ...placeholders, signInUrl: Fn.join('', [appUrl, '/signin']) });
  const hasLink = new CfnCondition(scope, 'InvitationHasLink', { expression: Fn.conditionNot(Fn.conditionEquals(appUrl, '')) });
  return { emailSubject: withoutLink.subject, emailBody: Fn.conditionIf(hasLink.logicalId, withLink.html, withoutLink.html).toString() };
}

/**
 * Who may sign in. Users are created by an administrator (no self sign-up), each with an
 * immutable tenant and one or more role groups; the SPA signs in with InitiateAuth against
 * the app client, the same call it makes to the local identity provider.
 */
export interface AuthProps {
  /**
   * The address people open the app at (https://crm.example.com), a CloudFormation parameter's
   * value: the invitation links to its sign-in page. Empty: the invitation has no link. (The
   * distribution's own name would make a cycle: the pool, the API's authorizer, the distribution.)
   */
  readonly appUrl?: string;
}

export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  private readonly appUrl: string;

  constructor(scope: Construct, id: string, props: AuthProps = {}) {
    super(scope, id);
    this.appUrl = props.appUrl ?? '';

    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      // Immutable: a user can never move themselves to another tenant's data.
      customAttributes: { [TENANT_ATTRIBUTE]: new StringAttribute({ mutable: false, minLen: 1, maxLen: 64 }) },
      passwordPolicy: { ...PASSWORD_POLICY, tempPasswordValidity: Duration.days(TEMPORARY_PASSWORD_DAYS) },
      userInvitation: invitation(this, props.appUrl),
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Threat protection (compromised credentials, risky sign-ins) needs the Plus plan.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.userPool, [
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional so that an organisation can roll it out user by user (TOTP is enabled); threat protection in full-function mode asks for more on risky sign-ins.',
      },
    ]);

    for (const group of USER_GROUPS) {
      this.userPool.addGroup(group, { groupName: group });
    }

    this.client = this.userPool.addClient('Spa', {
      // A browser cannot keep a secret.
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      // The SPA calls InitiateAuth directly; no hosted UI, no OAuth redirects.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
      // The tenant is set by an administrator only.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });
  }

  /**
   * The function that administers the pool's users (functions/users/identity-admin.ts): only
   * the admin calls it makes, on this pool only, and the pool's id and issuer in its environment.
   * Not every function's: the post-authentication trigger must not refer to the pool (a cycle).
   */
  administeredBy(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    this.userPool.grant(
      fn,
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminAddUserToGroup',
      'cognito-idp:AdminRemoveUserFromGroup',
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminEnableUser',
      'cognito-idp:AdminResetUserPassword',
    );
    fn.addEnvironment(ENV.userPoolId, this.userPool.userPoolId);
    fn.addEnvironment(ENV.authIssuer, this.issuerUrl);
  }

  /**
   * Runs `fn` after every sign-in (functions/users/post-authentication.ts). It lists a new
   * user's groups; the pool's ARN would make a cycle (the pool names the trigger, the trigger's
   * policy would name the pool), so the grant names the account's pools and one action.
   */
  afterSignIn(fn: IFunction): void {
    this.userPool.addTrigger(UserPoolOperation.POST_AUTHENTICATION, fn);
    const stack = Stack.of(this);
    const pools = stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*' });
    fn.addToRolePolicy(new PolicyStatement({ actions: ['cognito-idp:AdminListGroupsForUser'], resources: [pools] }));
    acknowledge(fn, [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'The post-authentication trigger cannot name its own pool (a dependency cycle); it may only list a user\'s groups, in this account and region.',
        findings: [resourceFinding(fn, pools)],
      },
    ]);
  }

  /**
   * Writes the invitation (functions/users/invitation-message.ts): it reads the tenant's name,
   * one item by its key, and nothing else, and links to `appUrl`'s sign-in page.
   */
  invitesWith(fn: IFunction & { addEnvironment(key: string, value: string): unknown }, table: { tableArn: string }): void {
    this.userPool.addTrigger(UserPoolOperation.CUSTOM_MESSAGE, fn);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table.tableArn] }));
    fn.addEnvironment(ENV.appUrl, this.appUrl);
  }

  /** The issuer of the tokens (`iss`), which the JWT authorizer and the API check. */
  get issuerUrl(): string {
    return this.userPool.userPoolProviderUrl;
  }
}
