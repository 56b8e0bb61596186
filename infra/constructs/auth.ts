import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
} from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledge, resourceFinding } from '../nag.ts';
import { ENV, TENANT_ATTRIBUTE, USER_GROUPS } from '../app-resources.ts';

/**
 * Who may sign in. Users are created by an administrator (no self sign-up), each with an
 * immutable tenant and one or more role groups; the SPA signs in with InitiateAuth against
 * the app client, the same call it makes to the local identity provider.
 */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      // Immutable: a user can never move themselves to another tenant's data.
      customAttributes: { [TENANT_ATTRIBUTE]: new StringAttribute({ mutable: false, minLen: 1, maxLen: 64 }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
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
   * Runs `fn` after every sign-in (functions/audit/post-authentication.ts). It lists a new
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

  /** The issuer of the tokens (`iss`), which the JWT authorizer and the API check. */
  get issuerUrl(): string {
    return this.userPool.userPoolProviderUrl;
  }
}
