import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { SCHEDULES } from '../app-resources.ts';
import type { AppFunctions } from './functions.ts';

/**
 * The functions of SCHEDULES, each invoked by an EventBridge rule every `everyMinutes` (the
 * embedded cloud runs the same on its clock: local/schedules.ts). A missed or failed run is not
 * retried for long: the next one, a minute later, does the same work.
 */
export class Schedules extends Construct {
  constructor(scope: Construct, id: string, props: { functions: AppFunctions }) {
    super(scope, id);
    for (const schedule of SCHEDULES) {
      new Rule(this, `${schedule.function}Schedule`, {
        description: `every ${schedule.everyMinutes} min: ${schedule.description}`,
        schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        targets: [new LambdaFunction(props.functions.get(schedule.function), { retryAttempts: 2, maxEventAge: Duration.minutes(schedule.everyMinutes) })],
      });
    }
  }
}
