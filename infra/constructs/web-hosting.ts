import { Duration, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeCdkOwnedWildcards } from '../nag.ts';
import type { ClientConfig } from '../../functions/contracts/auth.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  API_CONTENT_SECURITY_POLICY,
  FRAME_OPTION,
  HSTS_MAX_AGE_SECONDS,
  REFERRER_POLICY,
  inlineScriptHashes,
  siteContentSecurityPolicy,
} from '../security-headers.ts';

export interface WebHostingProps {
  /** The built SPA (frontend/build). */
  readonly assetDir: string;
  /** Host name of the HTTP API, served under /api/* on the same origin as the SPA. */
  readonly apiDomainName: string;
  /** Written to /config.json, which the SPA reads at start. */
  readonly clientConfig: ClientConfig;
  /** Origins the SPA calls besides its own (sign-in, the files bucket), for its Content-Security-Policy. */
  readonly connectTo: string[];
}

// A client-side route (no file extension) gets the SPA's index.html. Done here rather than with
// distribution-wide 403/404 error responses, which would also turn the API's 403s and 404s into
// the HTML page.
const SPA_ROUTING = `function handler(event) {
  var request = event.request;
  if (!/\\.[A-Za-z0-9]+$/.test(request.uri)) request.uri = '/index.html';
  return request;
}`;

/** The SPA on S3 behind CloudFront (origin access control), with the API under /api/*. */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** S3 server access logs and CloudFront standard logs; other buckets of the stack log here too. */
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);

    // CloudFront standard logs are delivered with ACLs, so this bucket keeps them enabled.
    const logs = (this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    }));
    acknowledge(logs, [
      { id: 'AwsSolutions-S1', reason: 'This is the access log bucket; logging it into itself would loop.' },
    ]);

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/site/',
    });

    // The SPA's policy allows the inline bootstrap script of the very index.html deployed below.
    const scriptHashes = inlineScriptHashes(readFileSync(join(props.assetDir, 'index.html'), 'utf8'));
    const siteHeaders = securityHeadersPolicy(this, 'SiteHeaders', siteContentSecurityPolicy({ scriptHashes, connectTo: props.connectTo }));
    const apiHeaders = securityHeadersPolicy(this, 'ApiHeaders', API_CONTENT_SECURITY_POLICY);

    const spaRouting = new CloudFrontFunction(this, 'SpaRouting', {
      code: FunctionCode.fromInline(SPA_ROUTING),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Serve index.html for client-side routes',
    });

    this.distribution = new Distribution(this, 'Cdn', {
      comment: 'Sheetflow web app and API',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: siteHeaders,
        functionAssociations: [{ function: spaRouting, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new HttpOrigin(props.apiDomainName, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // Never cached; with caching off, AllViewerExceptHostHeader forwards Authorization,
          // and API Gateway needs its own Host header to find the API.
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: apiHeaders,
        },
      },
    });
    acknowledge(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Users of a CRM travel; access is controlled by sign-in, not by country.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF by default (a web ACL costs a monthly fee per rule); the API is throttled and every /api route needs a Cognito JWT. README explains how to attach one.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate does not allow choosing the minimum TLS version; with a custom domain set minimumProtocolVersion TLSv1.2_2021.',
      },
    ]);

    new BucketDeployment(this, 'Deploy', {
      sources: [
        Source.asset(props.assetDir, { exclude: ['.source-hash'] }),
        Source.jsonData('config.json', props.clientConfig),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    acknowledgeBucketDeploymentHandler(Stack.of(this));
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}

/** The headers of infra/security-headers.ts as a CloudFront policy; they replace any the origin sends, as the local gateway's do. */
function securityHeadersPolicy(scope: Construct, id: string, contentSecurityPolicy: string): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, id, {
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: FRAME_OPTION as HeadersFrameOption, override: true },
      referrerPolicy: { referrerPolicy: REFERRER_POLICY as HeadersReferrerPolicy, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS), includeSubdomains: true, override: true },
    },
  });
}

/** BucketDeployment's handler is a singleton CDK-owned function at the stack's root. */
function acknowledgeBucketDeploymentHandler(stack: Stack): void {
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    acknowledge(child, [
      {
        id: 'AwsSolutions-IAM4',
        reason: 'CDK-owned BucketDeployment handler: AWSLambdaBasicExecutionRole lets it write its own logs.',
        findings: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'CDK-owned BucketDeployment handler: its runtime is chosen by aws-cdk-lib, not by this app.',
      },
    ]);
    acknowledgeCdkOwnedWildcards(
      child,
      'CDK-owned BucketDeployment handler: it reads the asset from the CDK assets bucket, replaces every object in the site bucket and invalidates the distribution (CloudFront invalidation has no resource-level permission).',
    );
  }
}
