import { ArnFormat, Stack } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import { addToDeadLetterQueueResourcePolicy, bindBaseTargetConfig, type TargetBaseProps } from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';

/**
 * An EventBridge rule target writing matched events to a CloudWatch log group.
 *
 * aws-events-targets' `CloudWatchLogGroup` grants EventBridge access through a custom resource (a
 * Lambda function calling PutResourcePolicy with Resource "*"). This target does without it: the
 * log group's resource policy is a plain AWS::Logs::ResourcePolicy created next to the group
 * (see CrmEvents), so the stack has no helper Lambda and no wildcard IAM.
 */
export class AuditLogTarget implements events.IRuleTarget {
  private readonly logGroup: logs.ILogGroup;
  private readonly props: TargetBaseProps;

  constructor(logGroup: logs.ILogGroup, props: TargetBaseProps) {
    this.logGroup = logGroup;
    this.props = props;
  }

  bind(rule: events.IRule): events.RuleTargetConfig {
    if (this.props.deadLetterQueue) addToDeadLetterQueueResourcePolicy(rule, this.props.deadLetterQueue);
    return {
      ...bindBaseTargetConfig(this.props),
      // The target ARN is the group's ARN without the trailing ":*" of LogGroup.logGroupArn.
      arn: Stack.of(this.logGroup).formatArn({
        service: 'logs',
        resource: 'log-group',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        resourceName: this.logGroup.logGroupName,
      }),
      targetResource: this.logGroup,
    };
  }
}
