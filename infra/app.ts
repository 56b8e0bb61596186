// The CDK app: `npx cdk synth` / `npx cdk deploy` (see infra/README.md). Needs no AWS
// credentials to synthesize; account and region come from the CLI's environment at deploy.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from './nag.ts';
import { ensureFrontendBuilt } from '../local/frontend-build.mjs';
import { SheetflowStack } from './sheetflow-stack.ts';

// BucketDeployment uploads frontend/build, so it has to exist and be current first.
await ensureFrontendBuilt();

const app = new App();
new SheetflowStack(app, app.node.tryGetContext('stackName') ?? 'Sheetflow', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: 'Sheetflow: operational CRM (DynamoDB, Lambda, Step Functions, HTTP API, Cognito, CloudFront)',
});
// cdk-nag 3 is a policy-validation plugin: any unacknowledged finding fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
