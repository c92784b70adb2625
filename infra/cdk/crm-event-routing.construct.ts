import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionName, RuleDef, ScheduleDef } from '#infra/topology.ts';
import { AuditLogTarget } from './audit-log.target.ts';
import type { CrmFunction } from './crm-function.construct.ts';
import { DeadLetterQueue } from './dead-letter-queue.construct.ts';
import { LambdaInvokeExact } from './lambda-invoke-exact.target.ts';

/** The audit trail outlives operational logs; events carry ids and field names only. */
export const AUDIT_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

import { STREAM_RETRY_ATTEMPTS } from '#infra/topology.ts';

export { STREAM_RETRY_ATTEMPTS };

export interface StreamConsumerDef {
  readonly function: FunctionName;
  /** Lambda event-source filter pattern (one FilterCriteria entry). */
  readonly filter: object;
  readonly batchSize: number;
  /** Concurrent batches per shard, each partition key still in order (1 when absent). */
  readonly parallelizationFactor?: number;
  /** Seconds Lambda gathers records before it invokes (up to batchSize); absent: at once. The local stream reader delivers at once. */
  readonly maxBatchingWindowSeconds?: number;
}

export interface CrmEventRoutingProps {
  readonly table: dynamodb.ITable;
  readonly bus: events.IEventBus;
  readonly functions: ReadonlyMap<FunctionName, CrmFunction>;
  readonly streamConsumers: readonly StreamConsumerDef[];
  readonly rules: readonly RuleDef[];
  readonly schedules: readonly ScheduleDef[];
}

/**
 * Everything that moves events: the table stream into the outbox publisher, rules on the crm bus
 * and time-driven schedules. Each delivery path ends in a dead-letter queue.
 */
export class CrmEventRouting extends Construct {
  /** Events EventBridge (rules) or EventBridge Scheduler could not deliver to their target. */
  readonly deliveryFailures: sqs.Queue;
  /** Per stream consumer: the table-stream batches it gave up on (their shard and sequence numbers). */
  readonly streamFailures = new Map<FunctionName, sqs.Queue>();
  private auditLog?: logs.LogGroup;
  private readonly props: CrmEventRoutingProps;

  constructor(scope: Construct, id: string, props: CrmEventRoutingProps) {
    super(scope, id);
    this.props = props;
    this.deliveryFailures = new DeadLetterQueue(this, 'DeliveryFailures', {
      purpose: 'events that EventBridge rules and schedules could not deliver to their targets',
      usedAs: 'delivery-dlq',
    }).queue;

    props.streamConsumers.forEach((consumer) => this.addStreamConsumer(consumer));
    props.rules.forEach((rule) => this.addRule(rule));
    props.schedules.forEach((schedule) => this.addSchedule(schedule));
  }

  private fn(name: FunctionName): CrmFunction {
    const fn = this.props.functions.get(name);
    if (!fn) throw new Error(`the topology wires function "${name}", which it does not declare`);
    return fn;
  }

  private addStreamConsumer(consumer: StreamConsumerDef): void {
    const fn = this.fn(consumer.function);
    const failures = new DeadLetterQueue(this, `${consumer.function}-StreamFailures`, {
      purpose: `table-stream batches ${consumer.function} gave up on (shard and sequence numbers)`,
      usedAs: 'delivery-dlq',
    }).queue;
    this.streamFailures.set(consumer.function, failures);
    fn.function.addEventSource(
      new DynamoEventSource(this.props.table, {
        // TRIM_HORIZON: a mapping created or re-created after writes happened still publishes
        // every outbox record left in the stream (24 h). LATEST would silently skip them; the
        // price is a possible duplicate, which consumers absorb through the idempotency key.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: consumer.batchSize,
        ...(consumer.parallelizationFactor ? { parallelizationFactor: consumer.parallelizationFactor } : {}),
        ...(consumer.maxBatchingWindowSeconds ? { maxBatchingWindow: Duration.seconds(consumer.maxBatchingWindowSeconds) } : {}),
        filters: [lambda.FilterCriteria.filter(consumer.filter as Record<string, unknown>)],
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: STREAM_RETRY_ATTEMPTS,
        onFailure: new SqsDlq(failures),
      }),
    );
    Validations.of(fn.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'dynamodb:ListStreams, which the table-stream event source mapping needs, has no resource-level permissions; the other stream actions are scoped to the table stream ARN.',
    });
  }

  private addRule(def: RuleDef): void {
    const rule = new events.Rule(this, `Rule-${def.name}`, {
      eventBus: this.props.bus,
      description: def.description,
      // Patterns come verbatim from events/ modules (keys such as "detail-type" pass through).
      eventPattern: def.pattern as events.EventPattern,
    });
    const target = def.target;
    if (target.kind === 'audit-log') {
      rule.addTarget(new AuditLogTarget(this.auditLogGroup(), { deadLetterQueue: this.deliveryFailures }));
    } else {
      rule.addTarget(new targets.LambdaFunction(this.fn(target.function).function, { deadLetterQueue: this.deliveryFailures }));
    }
  }

  private addSchedule(def: ScheduleDef): void {
    if (!Number.isInteger(def.everyMinutes) || def.everyMinutes < 1) {
      throw new Error(`schedule "${def.name}": everyMinutes must be a whole number of minutes >= 1`);
    }
    new scheduler.Schedule(this, `Schedule-${def.name}`, {
      description: def.description,
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(def.everyMinutes)),
      target: new LambdaInvokeExact(this.fn(def.function).function, {
        deadLetterQueue: this.deliveryFailures,
        // A tick is superseded by the next one: retry briefly, never past the next tick.
        retryAttempts: 2,
        maxEventAge: Duration.minutes(def.everyMinutes),
      }),
    });
  }

  /** Created on first use, so a topology without audit rules has no audit log group. */
  private auditLogGroup(): logs.LogGroup {
    if (this.auditLog) return this.auditLog;
    const group = new logs.LogGroup(this, 'AuditLog', {
      // The /aws/events/ prefix is where EventBridge expects log-group targets.
      logGroupName: `/aws/events/${Stack.of(this).stackName}/audit`,
      retention: AUDIT_LOG_RETENTION,
    });
    new logs.ResourcePolicy(this, 'AuditLogPolicy', {
      policyStatements: [
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [group.logGroupArn],
        }),
      ],
    });
    this.auditLog = group;
    return group;
  }
}
