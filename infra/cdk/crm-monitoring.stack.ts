import { Duration, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * The alarms and their thresholds (the README lists them with their prices). SES reputation rates
 * warn below AWS's review thresholds (bounces 5 %, complaints 0.1 %): time to act before the review.
 */
export const MONITORING_THRESHOLDS = {
  /** Any message in a failure queue: work failed for good and waits for `npm run redrive`. */
  failureQueueMessages: 1,
  /** The outbox publisher's stream iterator age (ms): events are late by 5 minutes. */
  outboxIteratorAgeMs: 5 * 60_000,
  /** Lambda errors, all functions of the account and region together, in 5 minutes (retries count too). */
  functionErrors: 5,
  /** Lambda throttles, all functions together, in 5 minutes: the concurrency limit was reached. */
  functionThrottles: 1,
  /** API answers that were 5xx, in percent of requests, over two 5-minute periods in a row. */
  api5xxPercent: 5,
  /** SES account bounce rate (a fraction): AWS reviews the account at 5 %. */
  sesBounceRate: 0.04,
  /** SES account complaint rate (a fraction): AWS reviews the account at 0.1 %. */
  sesComplaintRate: 0.0008,
} as const;

export interface CrmMonitoringProps {
  /** Where the alarms go (validated at synth: `-c alarmEmail=...`). */
  readonly alarmEmail: string;
  /** Every failure queue, by its name in infra/failure-queues.ts. */
  readonly failureQueues: ReadonlyMap<string, sqs.IQueue>;
  readonly outboxPublisher: lambda.IFunction;
  readonly api: apigw.HttpApi;
  /** Whether the stack sends email (the SES reputation alarms exist only then). */
  readonly sendsEmail: boolean;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Opt-in monitoring in its own nested stack (the parent stays far from 500 resources): an SNS topic
 * with the email subscription, one alarm per failure queue, the outbox's iterator age, Lambda errors
 * and throttles (account-wide metrics: one alarm metric each instead of one per function, at $0.10
 * per alarm metric), the API's 5xx rate, SES bounce and complaint rates, and one dashboard.
 */
export class CrmMonitoring extends NestedStack {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: CrmMonitoringProps) {
    super(scope, id, { description: 'eCRM opt-in monitoring: alarms to an SNS email subscription, and a dashboard' });
    this.topic = new sns.Topic(this, 'Alarms', { displayName: 'eCRM alarms', enforceSSL: true });
    const subscription = this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    Validations.of(subscription).acknowledge({
      id: 'Serverless-SNSRedrivePolicy',
      reason:
        'An email subscription: a notification SNS could not mail would wait in a queue nobody reads; the alarm itself stays in ALARM on the console and the dashboard, and every change of state is mailed again.',
    });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names, metrics and thresholds only, no personal data; CloudWatch cannot publish to a topic under the AWS-managed SNS key, and a customer-managed key would cost $1 a month for nothing to protect.',
    });
    const action = new actions.SnsAction(this.topic);
    const alarm = (name: string, props: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, name, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...props });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };
    const t = MONITORING_THRESHOLDS;

    const queueDepths = [...props.failureQueues].map(([name, queue]) => {
      const metric = queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' });
      alarm(`FailureQueue-${name}`, {
        alarmDescription: `Messages wait in the failure queue "${name}": inspect them, fix the cause, then npm run redrive -- --queue ${name}`,
        metric,
        threshold: t.failureQueueMessages,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      // A label makes an alarm's metric a metric-math query: the dashboard's copy carries it instead.
      return metric.with({ label: name });
    });

    const iteratorAge = props.outboxPublisher.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' });
    alarm('OutboxIteratorAge', {
      alarmDescription: 'The outbox publisher is more than 5 minutes behind the table stream: events are late (records past 24 h leave the stream; the outbox sweep publishes what is still pending)',
      metric: iteratorAge,
      threshold: t.outboxIteratorAgeMs,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });

    const lambdaMetric = (metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName, statistic: 'Sum', period: FIVE_MINUTES });
    const errors = lambdaMetric('Errors');
    const throttles = lambdaMetric('Throttles');
    alarm('FunctionErrors', {
      alarmDescription: 'Lambda functions failed (all functions of the account and region): see the dashboard and the functions\' logs',
      metric: errors,
      threshold: t.functionErrors,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarm('FunctionThrottles', {
      alarmDescription: 'Lambda throttled invocations: the account\'s concurrency limit was reached',
      metric: throttles,
      threshold: t.functionThrottles,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    const requests = props.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' });
    const serverErrors = props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    const rate5xx = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { requests, errors: serverErrors },
      period: FIVE_MINUTES,
      label: 'API 5xx %',
    });
    alarm('Api5xxRate', {
      alarmDescription: `More than ${t.api5xxPercent} % of API requests answered 5xx for 10 minutes`,
      metric: rate5xx,
      threshold: t.api5xxPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
    });

    const sesRates: cloudwatch.IMetric[] = [];
    if (props.sendsEmail) {
      const reputation = (metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
      const bounces = reputation('Reputation.BounceRate');
      const complaints = reputation('Reputation.ComplaintRate');
      sesRates.push(bounces, complaints);
      alarm('SesBounceRate', {
        alarmDescription: 'The SES bounce rate is at 4 %: AWS reviews the account at 5 % (clean the lists, check the suppressions)',
        metric: bounces,
        threshold: t.sesBounceRate,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm('SesComplaintRate', {
        alarmDescription: 'The SES complaint rate is at 0.08 %: AWS reviews the account at 0.1 % (check consent and unsubscribe links)',
        metric: complaints,
        threshold: t.sesComplaintRate,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(scope).stackName}-operations`,
      defaultInterval: Duration.days(1),
    });
    const width = 12;
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Failure queues: messages waiting', left: queueDepths, width, legendPosition: cloudwatch.LegendPosition.RIGHT }),
      new cloudwatch.GraphWidget({ title: 'Outbox publisher iterator age (ms)', left: [iteratorAge], width }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Lambda errors and throttles (account)', left: [errors, throttles], width }),
      new cloudwatch.GraphWidget({ title: 'API requests and 5xx rate', left: [requests], right: [rate5xx], width }),
    );
    if (sesRates.length > 0) this.dashboard.addWidgets(new cloudwatch.GraphWidget({ title: 'SES reputation: bounce and complaint rates', left: sesRates, width }));
  }
}
