import { beforeAll, describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { API_CONTENT_SECURITY_POLICY, inlineScriptHashes, securityHeaders, siteContentSecurityPolicy } from '../../infra/security-headers.ts';
import {
  FUNCTIONS,
  HTTP_ROUTES,
  STREAM_CONSUMERS,
  TABLE,
  USER_GROUPS,
  ENV,
  FILES_BUCKET,
  WORKFLOWS,
  definitionSubstitutions,
  gsiKeys,
  type FunctionKey,
} from '../../infra/app-resources.ts';
import type { SheetflowStack } from '../../infra/sheetflow-stack.ts';
import { FIXTURE_WORKFLOWS, fixturesDir, synthDir, synthStack } from '../support/synth-stack.ts';
import { repoRoot } from '../../infra/repo-root.ts';

let stack: SheetflowStack;
let template: Template;

beforeAll(() => {
  stack = synthStack();
  template = Template.fromStack(stack);
});

const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<SheetflowStack['getLogicalId']>[0]);
const fnId = (key: FunctionKey) => logicalId(stack.functions.get(key));
const tableId = () => logicalId(stack.table.table);

describe('table', () => {
  it('is the one table of TABLE, with every GSI declared up front', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: TABLE.globalSecondaryIndexes.map((index) =>
        Match.objectLike({
          IndexName: index,
          KeySchema: [
            { AttributeName: gsiKeys(index).pk, KeyType: 'HASH' },
            { AttributeName: gsiKeys(index).sk, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ),
    });
  });

  it('streams both images, keeps backups, expires by TTL and cannot be deleted', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });
});

describe('functions', () => {
  it.each(Object.entries(FUNCTIONS))('%s runs ESM on nodejs22.x/arm64 with its own log group and the shared env', (key, spec) => {
    const props = template.toJSON().Resources[fnId(key as FunctionKey)].Properties;
    expect(props).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: `index.${spec.handler}`,
      MemorySize: spec.memoryMiB,
      Timeout: spec.timeoutSeconds,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
    });
    expect(Object.keys(props.Environment.Variables)).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'STATE_MACHINE_ARNS']),
    );
    // The pool's issuer and id only where they are used: a trigger of the pool cannot refer to it.
    expect(Object.keys(props.Environment.Variables).includes('AUTH_ISSUER')).toBe(key === 'api');
    expect(props.Environment.Variables.TABLE_NAME).toEqual({ Ref: tableId() });
    const logGroup = template.toJSON().Resources[props.LoggingConfig.LogGroup.Ref];
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
  });

  it('tells the functions where each state machine is', () => {
    const env = template.toJSON().Resources[fnId('api')].Properties.Environment.Variables;
    const json = stack.resolve(env.STATE_MACHINE_ARNS)['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'aws')).join('');
    expect(JSON.parse(json)).toEqual({ 'fixture-flow': 'arn:aws:states:eu-west-1:111111111111:stateMachine:Test-fixture-flow' });
  });

  it('gives the API function read/write on the table and control of the processes, and nothing on other tables', () => {
    const statements = policyStatementsOf(fnId('api'));
    const dynamo = statements.find((s) => actions(s).includes('dynamodb:PutItem'));
    expect(actions(dynamo)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']));
    expect(JSON.stringify(dynamo.Resource)).toContain(tableId());
    const start = statements.find((s) => actions(s).includes('states:StartExecution'));
    expect(actions(start)).toEqual(expect.arrayContaining(['states:SendTaskSuccess', 'states:SendTaskFailure']));
    expect(JSON.stringify(start.Resource)).toContain(':stateMachine:Test-fixture-flow');
    const executions = statements.find((s) => actions(s).includes('states:StopExecution'));
    expect(JSON.stringify(executions.Resource)).toContain(':execution:Test-fixture-flow:*');
    // The monitor reads the live alias's version, and an instance's page the definition its execution runs.
    expect(actions(executions)).toEqual(expect.arrayContaining(['states:GetExecutionHistory', 'states:DescribeStateMachineForExecution']));
    const alias = statements.find((s) => actions(s).includes('states:DescribeStateMachineAlias'));
    expect(JSON.stringify(alias.Resource)).toContain(':stateMachine:Test-fixture-flow:live');
  });

  it('gives the stream function read and write on the table (the change feed, field purges, snapshot builds) and of Step Functions only what delivers a task\'s answer again and starts a stage\'s process', () => {
    const statements = policyStatementsOf(fnId('stream'));
    expect(statements.flatMap(actions)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:GetRecords', 'dynamodb:Query', 'dynamodb:GetItem']));
    expect(statements.flatMap(actions).filter((a) => a.startsWith('states:')).sort()).toEqual(['states:DescribeExecution', 'states:GetExecutionHistory', 'states:SendTaskFailure', 'states:SendTaskSuccess', 'states:StartExecution']);
    // A start only on the live alias, as the API's.
    const starts = statements.find((s) => actions(s).includes('states:StartExecution'));
    expect(JSON.stringify(starts.Resource)).toContain(':live');
    expect(statements.flatMap(actions)).not.toContain('dynamodb:DeleteTable');
  });
});

describe('stream consumers', () => {
  it.each(STREAM_CONSUMERS.map((c) => [c.function, c] as const))(
    '%s reads the stream with bisect, bounded retries, batch failures and a DLQ',
    (key, consumer) => {
      const mapping = Object.values<any>(template.findResources('AWS::Lambda::EventSourceMapping')).find(
        (r) => r.Properties.FunctionName.Ref === fnId(key),
      );
      expect(mapping.Properties).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [tableId(), 'StreamArn'] },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: consumer.batchSize,
        MaximumRetryAttempts: consumer.maxRetries,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const queueId = mapping.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
      expect(template.toJSON().Resources[queueId]).toMatchObject({
        Type: 'AWS::SQS::Queue',
        Properties: { SqsManagedSseEnabled: true },
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    },
  );
});

describe('workflows', () => {
  const definitionFile = join(fixturesDir, 'workflows', FIXTURE_WORKFLOWS['fixture-flow'].file);

  it('uses the ASL file as written, with substitutions computed by definitionSubstitutions()', () => {
    const machine = Object.values<any>(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    expect(machine.Properties.DefinitionString).toBe(readFileSync(definitionFile, 'utf8'));
    expect(machine.Properties).toMatchObject({
      StateMachineName: 'Test-fixture-flow',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL' },
    });
    const expected = definitionSubstitutions(
      {
        functionArn: (key) => stack.resolve(stack.functions.get(key).functionArn),
        tableName: stack.resolve(stack.table.tableName),
        stateMachineArn: (key) => stack.resolve(stack.workflows.stateMachineArn(key)),
      },
      FIXTURE_WORKFLOWS,
    );
    expect(machine.Properties.DefinitionSubstitutions).toEqual(expected);
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining(['TableName', 'ApiFunctionArn', 'StreamFunctionArn', 'FixtureFlowStateMachineArn']),
    );
  });

  it('lets the state machine invoke only the functions, table and machines its definition names', () => {
    const role = Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith('Workflowsfixtureflow'))!;
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const invoke = statements.filter((s) => actions(s).includes('lambda:InvokeFunction'));
    expect(JSON.stringify(invoke)).toContain(fnId('api'));
    expect(JSON.stringify(invoke)).not.toContain(fnId('stream'));
    expect(JSON.stringify(statements.find((s) => actions(s).includes('dynamodb:PutItem')))).toContain(tableId());
    expect(JSON.stringify(statements.find((s) => actions(s).includes('states:StartExecution')))).toContain(
      ':stateMachine:Test-fixture-flow',
    );
  });

  it('builds no state machine and grants no Step Functions rights when there are no workflows', () => {
    const empty = Template.fromStack(synthStack({ workflows: {} }));
    empty.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    expect(JSON.stringify(empty.findResources('AWS::IAM::Policy'))).not.toContain('states:');
  });

  it('fails synth when a definition uses a placeholder definitionSubstitutions() does not provide', () => {
    expect(() =>
      synthStack({ workflows: { typo: { file: 'unknown-placeholder.asl.json', description: '' } } }),
    ).toThrow(/uses \$\{MailerFunctionArn\}, which definitionSubstitutions\(\) does not provide/);
  });

  it('fails synth clearly when a workflow file is missing', () => {
    expect(() => synthStack({ workflows: { nope: { file: 'missing.asl.json', description: '' } } })).toThrow(
      /workflow 'nope': no definition file/,
    );
  });
});

describe('HTTP API', () => {
  it('routes every HTTP_ROUTES entry through the Cognito JWT authorizer', () => {
    const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer');
    const [authorizerId, authorizer] = Object.entries<any>(authorizers)[0];
    const poolId = logicalId(stack.auth.userPool);
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: logicalId(stack.auth.client) }] },
    });
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain(poolId);
    for (const route of HTTP_ROUTES) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: route.routeKey,
        ...(route.auth === 'jwt' ? { AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } } : {}),
      });
    }
  });

  it('logs access and throttles the $default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });

  it('allows extra CORS origins only when asked', () => {
    expect(template.toJSON().Resources[logicalId(stack.api.httpApi)].Properties.CorsConfiguration).toBeUndefined();
    const withCors = Template.fromStack(synthStack({ corsOrigins: ['http://localhost:5173'] }));
    withCors.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['http://localhost:5173'] }),
    });
  });
});

describe('Cognito', () => {
  it('is admin-only, signs in by email, has a strong password policy and optional MFA', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      UserPoolTier: 'PLUS',
      DeletionProtection: 'ACTIVE',
    });
  });

  it('carries an immutable tenant attribute (the custom:tenant claim)', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'tenant', AttributeDataType: 'String', Mutable: false })]),
    });
  });

  it('has one group per role', () => {
    for (const group of USER_GROUPS) template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', USER_GROUPS.length);
  });

  it('runs the post-authentication trigger after sign-in, which may read, put and update items and list a user\'s groups, nothing more', () => {
    const pool = Object.values<any>(template.findResources('AWS::Cognito::UserPool'))[0];
    expect(pool.Properties.LambdaConfig.PostAuthentication).toEqual({ 'Fn::GetAtt': [fnId('postAuthentication'), 'Arn'] });
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes('postAuthentication'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((statement) => [statement.Action].flat()).filter((action: string) => !action.startsWith('xray:'));
    expect(actions.sort()).toEqual(['cognito-idp:AdminListGroupsForUser', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  it('writes invitations with the custom message trigger, which may read one item of the table and nothing more, and knows the app\'s address', () => {
    const pool = Object.values<any>(template.findResources('AWS::Cognito::UserPool'))[0];
    expect(pool.Properties.LambdaConfig.CustomMessage).toEqual({ 'Fn::GetAtt': [fnId('invitationMessage'), 'Arn'] });
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes('invitationMessage'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement) => ![statement.Action].flat().every((action: string) => action.startsWith('xray:')));
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Data/), 'Arn'] } }]);
    const fn = template.toJSON().Resources[fnId('invitationMessage')];
    expect(fn.Properties.Environment.Variables.APP_URL).toEqual({ Ref: 'AppUrl' });
  });

  it('lets the API administer users of its own pool only, with the pool id in its environment', () => {
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(fnId('api').replace(/[0-9A-F]{8}$/, '')))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const cognito = statements.find((statement) => [statement.Action].flat().some((action: string) => action.startsWith('cognito-idp:')));
    expect([cognito.Action].flat().sort()).toEqual([
      'cognito-idp:AdminAddUserToGroup',
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminEnableUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminRemoveUserFromGroup',
      'cognito-idp:AdminResetUserPassword',
    ]);
    expect(JSON.stringify(cognito.Resource)).toContain(logicalId(stack.auth.userPool));
    const api = template.toJSON().Resources[fnId('api')];
    expect(api.Properties.Environment.Variables[ENV.userPoolId]).toEqual({ Ref: logicalId(stack.auth.userPool) });
    expect(JSON.stringify(api.Properties.Environment.Variables[ENV.authIssuer])).toContain(logicalId(stack.auth.userPool));
  });

  it('has a secretless SPA client with password and SRP sign-in that cannot write the tenant', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']),
      WriteAttributes: Match.not(Match.arrayWith(['custom:tenant'])),
    });
  });
});

describe('web hosting', () => {
  it('serves the bucket through origin access control and /api/* from the HTTP API, uncached', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const distribution = Object.values<any>(template.findResources('AWS::CloudFront::Distribution'))[0].Properties
      .DistributionConfig;
    const s3Origin = distribution.Origins.find((o: any) => o.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    const api = distribution.CacheBehaviors.find((b: any) => b.PathPattern === '/api/*');
    const apiOrigin = distribution.Origins.find((o: any) => o.Id === api.TargetOriginId);
    expect(JSON.stringify(apiOrigin.DomainName)).toContain(logicalId(stack.api.httpApi));
    expect(api).toMatchObject({
      AllowedMethods: expect.arrayContaining(['POST', 'PATCH', 'DELETE']),
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
    });
  });

  it('sends the security headers of infra/security-headers.ts: the site with its bootstrap script by hash, the API its own', () => {
    // A built page with adapter-static's inline bootstrap script.
    const spa = synthDir('spa-csp-');
    const bootstrap = '\n{ __sveltekit_x = { base: "" }; import("/_app/immutable/entry/start.js"); }\n';
    writeFileSync(join(spa, 'index.html'), `<!doctype html><html><head><script type="module" src="/_app/x.js"></script></head><body><script>${bootstrap}</script></body></html>`);
    const withPage = synthStack({ frontendDir: spa });
    const synthesized = Template.fromStack(withPage);
    const config = Object.values<any>(synthesized.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
    const policies = synthesized.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    // The headers a viewer gets from the policy a behaviour names (Ref of the policy's logical id).
    const headersOf = (behaviour: { ResponseHeadersPolicyId: { Ref: string } }) => {
      const config = policies[behaviour.ResponseHeadersPolicyId.Ref].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      const resolved = withPage.resolve(config.ContentSecurityPolicy.ContentSecurityPolicy);
      const csp = typeof resolved === 'string' ? resolved : resolved['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : JSON.stringify(part) === '{"Ref":"AWS::URLSuffix"}' ? 'amazonaws.com' : '?')).join('');
      expect([config.ContentSecurityPolicy, config.ContentTypeOptions, config.FrameOptions, config.ReferrerPolicy, config.StrictTransportSecurity].every((c) => c.Override)).toBe(true);
      return {
        'content-security-policy': csp,
        'strict-transport-security': `max-age=${config.StrictTransportSecurity.AccessControlMaxAgeSec}${config.StrictTransportSecurity.IncludeSubdomains ? '; includeSubDomains' : ''}`,
        'x-content-type-options': 'nosniff',
        'x-frame-options': config.FrameOptions.FrameOption,
        'referrer-policy': config.ReferrerPolicy.ReferrerPolicy,
      };
    };
    const scriptHash = `'sha256-${createHash('sha256').update(bootstrap).digest('base64')}'`;
    expect(inlineScriptHashes(readFileSync(join(spa, 'index.html'), 'utf8'))).toEqual([scriptHash]);
    const site = headersOf(config.DefaultCacheBehavior);
    expect(site).toEqual(securityHeaders(siteContentSecurityPolicy({ scriptHashes: [scriptHash], connectTo: ['https://cognito-idp.eu-west-1.amazonaws.com/', 'https://*.s3.eu-west-1.amazonaws.com'] })));
    expect(site['content-security-policy']).toContain(`script-src 'self' ${scriptHash};`);
    expect(site['content-security-policy']).not.toContain('unsafe-eval');
    expect(headersOf(config.CacheBehaviors.find((b: any) => b.PathPattern === '/api/*'))).toEqual(securityHeaders(API_CONTENT_SECURITY_POLICY));
  });

  it('falls back to index.html for client routes without hiding API errors', () => {
    const distribution = Object.values<any>(template.findResources('AWS::CloudFront::Distribution'))[0].Properties
      .DistributionConfig;
    // Distribution-wide error responses would turn the API's 403/404 into the HTML page.
    expect(distribution.CustomErrorResponses).toBeUndefined();
    expect(distribution.DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
    expect(distribution.CacheBehaviors[0].FunctionAssociations).toBeUndefined();
    const code = Object.values<any>(template.findResources('AWS::CloudFront::Function'))[0].Properties.FunctionCode;
    // Run the CloudFront function as CloudFront would.
    const handler = new Function(`${code}; return handler;`)();
    const route = (uri: string) => handler({ request: { uri } }).uri;
    expect(route('/companies/01J0000000000000000000000')).toBe('/index.html');
    expect(route('/')).toBe('/index.html');
    expect(route('/_app/immutable/start.abc123.js')).toBe('/_app/immutable/start.abc123.js');
    expect(route('/config.json')).toBe('/config.json');
  });

  it('keeps the bucket private, encrypted, TLS-only and logged', () => {
    const bucketId = logicalId(stack.web.bucket);
    expect(template.toJSON().Resources[bucketId].Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack.web.node.findChild('AccessLogs')) } },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' }),
        ]),
      },
    });
  });
});

describe('files bucket', () => {
  const bucketId = () => logicalId(stack.files.bucket);
  const statementsOn = (functionId: string) =>
    policyStatementsOf(functionId).filter((statement) => JSON.stringify(statement.Resource).includes(bucketId()));
  const objectPrefixes = (statement: any) =>
    [statement.Resource].flat().map((resource: any) => JSON.stringify(resource).match(/\/(\w+\/)\*"/)?.[1]).filter(Boolean);

  it('is private, TLS-only, encrypted, logged, and lets imports and exports expire', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack.web.accessLogs) }, LogFilePrefix: 's3/files/' },
        LifecycleConfiguration: {
          Rules: [
            ...Object.values(FILES_BUCKET.prefixes).map((prefix) => Match.objectLike({ Prefix: prefix, ExpirationInDays: FILES_BUCKET.expireAfterDays, Status: 'Enabled' })),
            Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
          ],
        },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('lets the SPA\'s origin PUT and GET through presigned URLs, and no other origin', () => {
    const cors = template.toJSON().Resources[bucketId()].Properties.CorsConfiguration.CorsRules;
    expect(cors).toHaveLength(1);
    expect(cors[0]).toMatchObject({ AllowedMethods: ['PUT', 'GET', 'HEAD'], AllowedHeaders: ['content-type'], ExposedHeaders: ['ETag'] });
    expect(JSON.stringify(stack.resolve(cors[0].AllowedOrigins))).toContain(logicalId(stack.web.distribution));
    expect(cors[0].AllowedOrigins).toHaveLength(1);
  });

  it('tells every function its name', () => {
    for (const key of Object.keys(FUNCTIONS) as FunctionKey[]) {
      expect(template.toJSON().Resources[fnId(key)].Properties.Environment.Variables[ENV.filesBucket]).toEqual({ Ref: bucketId() });
    }
  });

  it('grants the API put and read under imports/ and exports/ only, the imports function read under imports/ only, the others nothing', () => {
    const api = statementsOn(fnId('api'));
    const put = api.filter((statement) => actions(statement).includes('s3:PutObject'));
    expect(put.flatMap(objectPrefixes).sort()).toEqual(['exports/', 'imports/']);
    expect(api.flatMap(actions)).toContain('s3:GetObject*');
    expect(api.flatMap(actions).some((action) => action.startsWith('s3:Delete'))).toBe(false);

    const imports = statementsOn(fnId('imports'));
    expect(imports.flatMap(actions)).toContain('s3:GetObject*');
    expect(imports.flatMap(actions).some((action) => action.startsWith('s3:Put'))).toBe(false);
    expect(imports.flatMap(objectPrefixes)).toEqual(['imports/']);
    expect(policyStatementsOf(fnId('imports')).flatMap(actions)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));

    expect(statementsOn(fnId('stream'))).toEqual([]);
  });

  it('runs imports in the csv-import workflow, whose state machine may invoke the imports function', () => {
    const real = Template.fromStack(synthStack({ workflows: WORKFLOWS, workflowsDir: join(repoRoot, 'workflows') }));
    const machines = real.findResources('AWS::StepFunctions::StateMachine');
    const machine = Object.values<any>(machines).find((m) => m.Properties.StateMachineName.includes('csv-import'));
    expect(machine).toBeDefined();
    const roleId = machine.Properties.RoleArn['Fn::GetAtt'][0];
    const invoke = Object.values<any>(real.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((role: any) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .find((statement) => actions(statement).includes('lambda:InvokeFunction'));
    expect(JSON.stringify(invoke.Resource)).toMatch(/Functionsimports/);
  });
});

function policyStatementsOf(functionId: string): any[] {
  const roleId = template.toJSON().Resources[functionId].Properties.Role['Fn::GetAtt'][0];
  return Object.values<any>(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function actions(statement: any): string[] {
  return [statement?.Action ?? []].flat();
}
