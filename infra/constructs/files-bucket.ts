import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { FILES_BUCKET } from '../app-resources.ts';
import { acknowledge, resourceFinding } from '../nag.ts';

export interface FilesBucketProps {
  /** Origins whose pages PUT and GET through presigned URLs (the SPA's). */
  readonly corsOrigins: string[];
  /** Where S3 server access logs go. */
  readonly accessLogs: IBucket;
}

/**
 * The files bucket of FILES_BUCKET: CSV files on their way in (imports/) and out (exports/).
 * Private (no public access, TLS only, S3-managed encryption, ACLs off); browsers reach single
 * objects only through presigned URLs the API signs, so CORS allows the SPA's origin to PUT and
 * GET. Objects expire after FILES_BUCKET.expireAfterDays, and unfinished multipart uploads after
 * a day: nothing here is the record of anything, the table is.
 */
export class FilesBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: FilesBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 's3/files/',
      lifecycleRules: [
        ...Object.values(FILES_BUCKET.prefixes).map((prefix) => ({ id: `expire-${prefix.replace(/\W/g, '')}`, prefix, expiration: Duration.days(FILES_BUCKET.expireAfterDays) })),
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      cors: [
        {
          allowedOrigins: props.corsOrigins,
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
          // The presigned PUT signs content-type, so the browser sends it.
          allowedHeaders: ['content-type'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      // Files in flight may hold customer data: a stack update must not drop the bucket with them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  get bucketName(): string {
    return this.bucket.bucketName;
  }

  /**
   * The API: presigns uploads to imports/ and reads their first bytes; writes exports/ (a
   * multipart upload) and presigns their downloads. A presigned URL carries the signer's rights,
   * so these are also all a browser can ever do with one.
   */
  grantApi(grantee: IGrantable & Construct): void {
    for (const prefix of [FILES_BUCKET.prefixes.imports, FILES_BUCKET.prefixes.exports]) {
      this.bucket.grantPut(grantee, `${prefix}*`);
      this.bucket.grantRead(grantee, `${prefix}*`);
    }
    this.acknowledgePrefixes(grantee, [FILES_BUCKET.prefixes.imports, FILES_BUCKET.prefixes.exports]);
  }

  /** The imports function: reads uploaded files, nothing else. */
  grantImportReader(grantee: IGrantable & Construct): void {
    this.bucket.grantRead(grantee, `${FILES_BUCKET.prefixes.imports}*`);
    this.acknowledgePrefixes(grantee, [FILES_BUCKET.prefixes.imports]);
  }

  private acknowledgePrefixes(grantee: Construct, prefixes: string[]): void {
    acknowledge(grantee, [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'Objects are named at run time (<prefix><tenant>/<id>); the grant covers only this bucket\'s prefix, and the object actions S3 groups under Get*/List*/Abort*.',
        findings: [
          ...prefixes.map((prefix) => resourceFinding(this, this.bucket.arnForObjects(`${prefix}*`))),
          'Action::s3:GetObject*',
          'Action::s3:GetBucket*',
          'Action::s3:List*',
          'Action::s3:Abort*',
        ],
      },
    ]);
  }
}
