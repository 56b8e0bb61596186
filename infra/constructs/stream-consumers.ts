import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { StartingPosition, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

export interface StreamConsumerProps {
  readonly table: ITable;
  readonly handler: IFunction;
  readonly batchSize: number;
  readonly maxRetries: number;
}

/**
 * A function reading the table's change stream. A batch that keeps failing is split to find
 * the bad record, retried a bounded number of times, and then described on a queue rather
 * than blocking the shard: the stream holds records for 24 hours only.
 */
export class StreamConsumer extends Construct {
  /** Where records that could not be processed are described (shard, sequence numbers). */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.failures, [
      {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself the on-failure destination of the stream event source mapping; nothing consumes it automatically.',
      },
    ]);

    // Also grants the function read on the stream.
    props.handler.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize,
        retryAttempts: props.maxRetries,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failures),
      }),
    );
  }
}
