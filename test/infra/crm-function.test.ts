import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#infra/cdk/build-app.ts';
import { CrmFunction, type EmailResources } from '#infra/cdk/crm-function.construct.ts';
import { FUNCTIONS, type FunctionDef } from '#infra/topology.ts';

// The email seam (issue 5): the construct grants email exactly when the topology asks, scoped to
// the identity and configuration set the stack passes (test/infra/crm-email.test.ts: the stack side).

const EMAIL: EmailResources = {
  identityArn: 'arn:aws:ses:eu-west-1:111111111111:identity/example.com',
  configurationSetArn: 'arn:aws:ses:eu-west-1:111111111111:configuration-set/crm',
  configurationSetName: 'crm',
  fromAddress: 'crm@example.com',
};

function build(access: FunctionDef['access'], email?: EmailResources) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'T');
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const bus = new events.EventBus(stack, 'Bus');
  const definition: FunctionDef = { entry: 'functions/docs/docs.lambda.ts', description: 'test', access };
  new CrmFunction(stack, 'Fn', { name: 'mailer', definition, projectRoot: PROJECT_ROOT, table, bus, ...(email ? { email } : {}) });
  return Template.fromStack(stack);
}

const sesStatements = (template: Template) =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) =>
    (p.Properties.PolicyDocument.Statement as any[]).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('ses:'))),
  );

describe('CrmFunction email access', () => {
  it('grants SendEmail/SendRawEmail on the identity and configuration set only, with their env', () => {
    const template = build({ email: true }, EMAIL);
    expect(sesStatements(template)).toEqual([
      expect.objectContaining({
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: [EMAIL.identityArn, EMAIL.configurationSetArn],
      }),
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { EMAIL_FROM: EMAIL.fromAddress, SES_CONFIGURATION_SET: EMAIL.configurationSetName } },
    });
  });

  it('grants no SES action when access does not name email', () => {
    expect(sesStatements(build({ table: 'read' }, EMAIL))).toEqual([]);
  });

  it('fails the synth when a function needs email but the stack has no SES resources', () => {
    expect(() => build({ email: true })).toThrow(/mailer needs email access/);
  });

  it('grants read-only table access without write actions', () => {
    const template = build({ table: 'read' });
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) =>
      (p.Properties.PolicyDocument.Statement as any[]).flatMap((s) => [s.Action].flat()),
    );
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(actions.filter((a: string) => /dynamodb:(Put|Update|Delete|BatchWrite|Scan)/.test(a))).toEqual([]);
  });
});

// Metering (issue 14): GET /usage reads the eCRM metrics; no other function may.
const cloudWatchStatements = (template: Template) =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) =>
    (p.Properties.PolicyDocument.Statement as any[]).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('cloudwatch:'))),
  );

describe('CrmFunction metrics access', () => {
  it('grants cloudwatch:GetMetricData alone when access names metricsRead', () => {
    expect(cloudWatchStatements(build({ metricsRead: true }))).toEqual([expect.objectContaining({ Action: 'cloudwatch:GetMetricData', Resource: '*' })]);
    expect(cloudWatchStatements(build({ table: 'readWrite', bus: true }))).toEqual([]);
  });

  it('is named by the docs function only (it serves GET /usage)', () => {
    expect(Object.entries(FUNCTIONS).filter(([, d]) => (d.access as FunctionDef['access']).metricsRead).map(([name]) => name)).toEqual(['docs']);
  });
});
