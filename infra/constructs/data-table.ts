import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable, Grant } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TABLE, gsiKeys } from '../app-resources.ts';
import { acknowledge, resourceFinding } from '../nag.ts';

/**
 * The application's single DynamoDB table, shaped by TABLE in app-resources.ts so that the
 * local dynalite table and this one have the same keys and indexes.
 */
export class DataTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      // The stream handler needs both images to write history and react to state changes.
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      // Customer data: a stack update or `cdk destroy` must never take the table with it.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // All indexes up front: the local table cannot add one later, so neither does this one.
    for (const index of TABLE.globalSecondaryIndexes) {
      const keys = gsiKeys(index);
      this.table.addGlobalSecondaryIndex({
        indexName: index,
        partitionKey: { name: keys.pk, type: AttributeType.STRING },
        sortKey: { name: keys.sk, type: AttributeType.STRING },
      });
    }
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /** Read and write items and query every index; acknowledges the `index/*` wildcard that needs. */
  grantReadWriteData(grantee: IGrantable): Grant {
    this.acknowledgeIndexes(grantee);
    return this.table.grantReadWriteData(grantee);
  }

  grantWriteData(grantee: IGrantable): Grant {
    this.acknowledgeIndexes(grantee);
    return this.table.grantWriteData(grantee);
  }

  grantReadData(grantee: IGrantable): Grant {
    this.acknowledgeIndexes(grantee);
    return this.table.grantReadData(grantee);
  }

  private acknowledgeIndexes(grantee: IGrantable): void {
    if (!(grantee instanceof Construct)) return;
    acknowledge(grantee, [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'Table grants cover this table\'s indexes, and only them (<table>/index/*): queries may use any GSI.',
        findings: [resourceFinding(this, `${this.table.tableArn}/index/*`)],
      },
    ]);
  }
}
