import { Aws, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_BUS_NAME } from '#events/define-event.ts';
import { CAMPAIGN_RULE_PREFIX } from '#functions/campaigns/campaign-triggers.ts';
import { SCHEDULE_GROUP, SCHEDULE_TARGETS } from '#infra/routes.ts';
import type { FunctionName } from '#infra/topology.ts';
import type { CrmFunction } from './crm-function.construct.ts';

/** Where campaign rules and one-off schedules deliver: named at synth, so their ARNs need no reference. */
export const CAMPAIGN_CONTROL_TARGETS = [...new Set(['campaignTrigger', ...SCHEDULE_TARGETS] as const)] satisfies readonly FunctionName[];

export const CAMPAIGN_RULE_ACTIONS = ['events:PutRule', 'events:PutTargets', 'events:RemoveTargets', 'events:DeleteRule', 'events:DescribeRule'];
export const CAMPAIGN_SCHEDULE_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'];

export interface CrmCampaignControlProps {
  readonly functions: ReadonlyMap<FunctionName, CrmFunction>;
  /** Where EventBridge and Scheduler park what they could not deliver (the event routing's DLQ). */
  readonly deadLetters: sqs.IQueue;
}

/**
 * `Access.rules` and `Access.schedules` of the topology: the control plane functions use at run
 * time. Rules (functions/campaigns/campaign-control.ts): the `campaign-*` rules on the crm bus and
 * their one target, campaignTrigger. Schedules (functions/shared/one-off-schedules.ts): one-off
 * schedules in the `crm-schedules` group, invoked through a role that may call exactly the
 * SCHEDULE_TARGETS functions. Each grant sits next to the environment variable that names its resource.
 */
export class CrmCampaignControl extends Construct {
  readonly scheduleGroup?: scheduler.CfnScheduleGroup;
  /** The role EventBridge Scheduler assumes to invoke the targets. */
  readonly schedulerRole?: iam.Role;

  constructor(scope: Construct, id: string, props: CrmCampaignControlProps) {
    super(scope, id);
    const users = [...props.functions].filter(([, fn]) => fn.definition.access.rules || fn.definition.access.schedules);
    if (users.length === 0) return;
    const stack = Stack.of(this);
    const arnOf = (name: (typeof CAMPAIGN_CONTROL_TARGETS)[number]) => {
      const fn = props.functions.get(name);
      if (!fn?.arnWithoutReference) throw new Error(`campaign control targets "${name}", which the topology does not declare with a fixed name`);
      return fn.arnWithoutReference;
    };
    const triggerArn = arnOf('campaignTrigger');
    const targetArns = SCHEDULE_TARGETS.map((name) => [name, arnOf(name)] as const);
    const ruleArns = stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${EVENT_BUS_NAME}/${CAMPAIGN_RULE_PREFIX}*` });
    const scheduleArns = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${SCHEDULE_GROUP}/*` });

    if (users.some(([, fn]) => fn.definition.access.rules)) {
      // The rules exist only at run time, so EventBridge's right to invoke and to dead-letter is
      // granted to the rule-name prefix. A Lambda target needs no iam:PassRole (EventBridge uses
      // the function's resource policy, not a role).
      new lambda.CfnPermission(this, 'TriggerRulesInvoke', {
        action: 'lambda:InvokeFunction',
        functionName: props.functions.get('campaignTrigger')!.function.functionArn,
        principal: 'events.amazonaws.com',
        sourceAccount: Aws.ACCOUNT_ID,
        sourceArn: ruleArns,
      });
      props.deadLetters.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [props.deadLetters.queueArn],
          conditions: { ArnLike: { 'aws:SourceArn': ruleArns } },
        }),
      );
    }

    if (users.some(([, fn]) => fn.definition.access.schedules)) {
      this.scheduleGroup = new scheduler.CfnScheduleGroup(this, 'Group', { name: SCHEDULE_GROUP });
      const groupArn = stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: SCHEDULE_GROUP });
      this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
        description: 'Assumed by EventBridge Scheduler to run the one-off schedules (campaign starts, delayed sends, erasures, surveys)',
        // Only for schedules of our group in this account (confused-deputy guard).
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ArnLike: { 'aws:SourceArn': groupArn } } }),
      });
      // Its own policy resource (not inline), so the functions can name the role while the policy
      // names the functions without a circular dependency.
      this.schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: targetArns.map(([, arn]) => arn) }));
      this.schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.deadLetters.queueArn] }));
    }

    for (const [, fn] of users) {
      const { access } = fn.definition;
      if (access.rules) {
        fn.function.addEnvironment('CAMPAIGN_TRIGGER_ARN', triggerArn);
        fn.function.addEnvironment('CAMPAIGN_DEAD_LETTER_ARN', props.deadLetters.queueArn);
        fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: CAMPAIGN_RULE_ACTIONS, resources: [ruleArns] }));
        Validations.of(fn.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${nagArn('events', `rule/${EVENT_BUS_NAME}/${CAMPAIGN_RULE_PREFIX}*`)}]`,
          reason: `Campaign rules are created at run time, one per active campaign, so they are known by their prefix only: the grant covers ${CAMPAIGN_RULE_PREFIX}* on the ${EVENT_BUS_NAME} bus and nothing else.`,
        });
      }
      if (access.schedules) {
        fn.function.addEnvironment('SCHEDULE_GROUP', SCHEDULE_GROUP);
        fn.function.addEnvironment('SCHEDULER_ROLE_ARN', this.schedulerRole!.roleArn);
        fn.function.addEnvironment('SCHEDULE_DEAD_LETTER_ARN', props.deadLetters.queueArn);
        fn.function.addEnvironment('SCHEDULE_TARGET_ARNS', stack.toJsonString(Object.fromEntries(targetArns)));
        fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: CAMPAIGN_SCHEDULE_ACTIONS, resources: [scheduleArns] }));
        Validations.of(fn.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${nagArn('scheduler', `schedule/${SCHEDULE_GROUP}/*`)}]`,
          reason: `One-off schedules are created at run time (campaign starts, delayed sends, erasures, surveys), so they are known by their group only: the grant covers the ${SCHEDULE_GROUP} group and nothing else.`,
        });
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['iam:PassRole'],
            resources: [this.schedulerRole!.roleArn],
            conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
          }),
        );
      }
    }
  }
}

/** An ARN of this stack's account and region as cdk-nag writes it in a finding's id. */
const nagArn = (service: string, resource: string) => `arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${resource}`;
