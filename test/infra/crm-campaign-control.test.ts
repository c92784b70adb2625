import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_RULE_ACTIONS, CAMPAIGN_SCHEDULE_ACTIONS } from '#infra/cdk/crm-campaign-control.construct.ts';
import { TOPOLOGY } from '#infra/cdk/crm.stack.ts';
import { type Access, FUNCTIONS, type FunctionName } from '#infra/topology.ts';
import { SCHEDULE_TARGETS } from '#infra/routes.ts';
import { asArray, type Statement, synthCrm } from './crm-app.ts';

// Access.rules and Access.schedules on AWS: least-privilege grants next to the environment that
// names each resource, EventBridge's and Scheduler's right to invoke exactly their targets,
// and a template CloudFormation can order (no circular dependency).

const crm = synthCrm();
const functionNames = Object.keys(FUNCTIONS) as FunctionName[];
const lambdas = crm.resources('AWS::Lambda::Function');
const RULES = 'arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/crm/campaign-*';
const SCHEDULES = 'arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/crm-schedules/*';

/** A value as text: pseudo parameters as <AWS::Name>, other references as <Ref:Id> / <GetAtt:Id.Attr>. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v.Ref) return String(v.Ref).startsWith('AWS::') ? `<${v.Ref}>` : `<Ref:${v.Ref}>`;
  if (v['Fn::GetAtt']) return `<GetAtt:${v['Fn::GetAtt'].join('.')}>`;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(text).join(v['Fn::Join'][0]);
  return JSON.stringify(value);
}
const variables = (name: FunctionName): Record<string, unknown> => lambdas[crm.functionId(name)]?.Properties?.Environment?.Variables ?? {};
const statements = (name: FunctionName) => crm.statementsOfRole(crm.roleId(name));
const withAction = (list: Statement[], action: string) => list.filter((s) => asArray(s.Action).includes(action));
const arnOf = (name: FunctionName) => `arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:${lambdas[crm.functionId(name)]?.Properties?.FunctionName}`;
const [groupId, group] = Object.entries(crm.resources('AWS::Scheduler::ScheduleGroup'))[0] ?? [];
const schedulerRoleId = () => {
  const ids = Object.entries(crm.resources('AWS::IAM::Role')).filter(([, r]) => JSON.stringify(r.Properties?.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com') && JSON.stringify(r.Properties?.AssumeRolePolicyDocument).includes('crm-schedules'));
  expect(ids).toHaveLength(1);
  return ids[0]![0];
};

describe('campaign rules (Access.rules)', () => {
  it.each(functionNames)('%s may manage exactly the campaign-* rules on crm when its access names rules, and no rule otherwise', (name) => {
    const access: Access = FUNCTIONS[name].access;
    const granted = statements(name).filter((s) => asArray(s.Action).some((a) => a.startsWith('events:') && a !== 'events:PutEvents'));
    if (!access.rules) {
      expect(granted).toEqual([]);
      return;
    }
    expect(granted.map((s) => [asArray(s.Action).sort(), asArray(s.Resource).map(text)])).toEqual([[[...CAMPAIGN_RULE_ACTIONS].sort(), [RULES]]]);
  });

  it('lets EventBridge invoke campaignTrigger for those rules only, and dead-letter what it cannot deliver', () => {
    const permissions = Object.values(crm.resources('AWS::Lambda::Permission')).filter((p) => p.Properties?.Principal === 'events.amazonaws.com' && text(p.Properties?.SourceArn) === RULES);
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [crm.functionId('campaignTrigger'), 'Arn'] }, SourceAccount: { Ref: 'AWS::AccountId' } });
    const deadLetterArn = text(variables('campaigns').CAMPAIGN_DEAD_LETTER_ARN);
    const queueId = /^<GetAtt:(.+)\.Arn>$/.exec(deadLetterArn)![1]!;
    const queuePolicies = Object.values(crm.resources('AWS::SQS::QueuePolicy')).filter((p) => JSON.stringify(p.Properties?.Queues).includes(queueId));
    const fromRules = queuePolicies.flatMap((p) => p.Properties?.PolicyDocument.Statement as any[]).filter((s) => JSON.stringify(s.Condition ?? {}).includes('rule/crm/campaign-*'));
    expect(fromRules).toHaveLength(1);
    expect(fromRules[0]).toMatchObject({ Effect: 'Allow', Action: 'sqs:SendMessage', Principal: { Service: 'events.amazonaws.com' } });
  });

  it('names the campaignTrigger function (and the dead-letter queue) in CAMPAIGN_TRIGGER_ARN without a reference, for functions that manage rules only', () => {
    expect(text(variables('campaigns').CAMPAIGN_TRIGGER_ARN)).toBe(arnOf('campaignTrigger'));
    for (const name of functionNames) expect('CAMPAIGN_TRIGGER_ARN' in variables(name), name).toBe((FUNCTIONS[name].access as Access).rules === true);
  });
});

describe('one-off schedules (Access.schedules)', () => {
  it('has the crm-schedules schedule group', () => {
    expect(group?.Properties?.Name).toBe('crm-schedules');
  });

  it.each(functionNames)('%s may manage schedules of that group and pass the scheduler role exactly when its access names schedules', (name) => {
    const access: Access = FUNCTIONS[name].access;
    const scheduling = statements(name).filter((s) => asArray(s.Action).some((a) => a.startsWith('scheduler:')));
    const passing = withAction(statements(name), 'iam:PassRole');
    const env = variables(name);
    if (!access.schedules) {
      expect([scheduling, passing]).toEqual([[], []]);
      expect(['SCHEDULE_GROUP', 'SCHEDULER_ROLE_ARN', 'SCHEDULE_DEAD_LETTER_ARN', 'SCHEDULE_TARGET_ARNS'].filter((v) => v in env)).toEqual([]);
      return;
    }
    expect(scheduling.map((s) => [asArray(s.Action).sort(), asArray(s.Resource).map(text)])).toEqual([[[...CAMPAIGN_SCHEDULE_ACTIONS].sort(), [SCHEDULES]]]);
    expect(passing.map((s) => [asArray(s.Resource).map(text), s.Condition])).toEqual([
      [[`<GetAtt:${schedulerRoleId()}.Arn>`], { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } }],
    ]);
    expect({ SCHEDULE_GROUP: env.SCHEDULE_GROUP, SCHEDULER_ROLE_ARN: text(env.SCHEDULER_ROLE_ARN), SCHEDULE_TARGET_ARNS: JSON.parse(text(env.SCHEDULE_TARGET_ARNS)) }).toEqual({
      SCHEDULE_GROUP: 'crm-schedules',
      SCHEDULER_ROLE_ARN: `<GetAtt:${schedulerRoleId()}.Arn>`,
      SCHEDULE_TARGET_ARNS: Object.fromEntries(SCHEDULE_TARGETS.map((target) => [target, arnOf(target)])),
    });
    expect(env.SCHEDULE_DEAD_LETTER_ARN).toBeDefined();
  });

  it('has a scheduler role, assumable by Scheduler for our group only, that may invoke exactly the schedule targets and dead-letter', () => {
    const roleId = schedulerRoleId();
    const trust = crm.resources('AWS::IAM::Role')[roleId]!.Properties?.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
    expect(text(trust.Condition.ArnLike['aws:SourceArn'])).toBe('arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule-group/crm-schedules');
    expect(trust.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    const granted = crm.statementsOfRole(roleId);
    expect(granted.flatMap((s) => asArray(s.Action)).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    expect(asArray(withAction(granted, 'lambda:InvokeFunction')[0]!.Resource).map(text).sort()).toEqual(SCHEDULE_TARGETS.map(arnOf).sort());
    expect(asArray(withAction(granted, 'sqs:SendMessage')[0]!.Resource).map(text)).toEqual([text(variables('campaigns').CAMPAIGN_DEAD_LETTER_ARN)]);
    expect(groupId).toBeDefined();
  });
});

describe('the template', () => {
  it('has no circular dependency (a function naming its own ARN, the scheduler role naming the functions that pass it)', () => {
    // CDK's Template refuses a template whose resources depend on each other in a cycle: the
    // check runs again on the parent and nested templates of the synth the file shares.
    for (const template of [crm.template, ...crm.nestedTemplates.values()]) expect(() => Template.fromJSON(template.toJSON())).not.toThrow();
    expect(crm.nestedTemplates.size).toBeGreaterThan(0);
  });

  it('has no campaign control (no group, no scheduler role, no fixed function names) when no function needs it', () => {
    const plain = synthCrm({
      topology: {
        ...TOPOLOGY,
        functions: Object.fromEntries(Object.entries(TOPOLOGY.functions).map(([name, d]) => [name, { ...d, access: { ...d.access, rules: false, schedules: false } }])) as typeof TOPOLOGY.functions,
      },
    });
    expect(plain.resources('AWS::Scheduler::ScheduleGroup')).toEqual({});
    expect(Object.values(plain.resources('AWS::Lambda::Function')).filter((f) => f.Properties?.FunctionName !== undefined)).toEqual([]);
    expect(JSON.stringify(plain.template.toJSON())).not.toContain('campaign-*');
  });
});
