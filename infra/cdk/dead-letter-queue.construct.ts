import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What ends up here, for the console and for whoever is paged. */
  readonly purpose: string;
  /**
   * Whether a Lambda function's DeadLetterConfig points here. cdk-nag recognises only those (and
   * queue redrive targets) as DLQs; queues behind event-source mappings, rules and schedules need
   * an acknowledgement.
   */
  readonly usedAs: 'function-dlq' | 'delivery-dlq';
}

/**
 * The end of a failure path (async invocations, stream batches, rule and schedule deliveries).
 * SQS costs nothing while empty; SSE-SQS keeps it free of KMS key charges.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time to notice, fix and redrive.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.queue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: `This queue is itself the dead-letter destination (${props.purpose}); nothing consumes it automatically, so a further redrive target would never be used.`,
    });
    if (props.usedAs === 'delivery-dlq') {
      Validations.of(this.queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is a dead-letter destination (${props.purpose}); cdk-nag only recognises DLQs referenced by a redrive policy or a function's DeadLetterConfig, not those of event-source mappings, rules or schedules.`,
      });
    }
  }
}
