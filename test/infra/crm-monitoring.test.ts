import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { MONITORING_THRESHOLDS } from '#infra/cdk/crm-monitoring.stack.ts';
import { FAILURE_QUEUES, failureQueueOutputKey } from '#infra/failure-queues.ts';
import { synthCrm } from './crm-app.ts';

// Opt-in monitoring: nothing without -c alarmEmail; with it, a nested stack holding the topic, the
// email subscription, the alarms and one dashboard.

const MONITORING_TYPES = ['AWS::CloudWatch::Alarm', 'AWS::SNS::Topic', 'AWS::SNS::Subscription', 'AWS::CloudWatch::Dashboard'];
const plain = synthCrm();
const monitored = synthCrm({ context: { alarmEmail: 'ops@example.com' } });
const alarms = () => Object.entries(monitored.resources('AWS::CloudWatch::Alarm'));
const alarmNamed = (prefix: string) => alarms().filter(([id]) => id.startsWith(prefix)).map(([, a]) => a.Properties!);

describe('monitoring', () => {
  it('does not exist without -c alarmEmail: no alarm, topic, subscription or dashboard ($0 while idle)', () => {
    for (const type of MONITORING_TYPES) expect(Object.keys(plain.resources(type)), type).toEqual([]);
    expect(plain.stack.monitoring).toBeUndefined();
  });

  it('refuses an alarmEmail that is not a plain address, at synth', () => {
    for (const bad of ['ops', 'Ops <ops@example.com>', 'ops@localhost', '@example.com']) {
      expect(() => synthCrm({ context: { alarmEmail: bad } }), bad).toThrow(/alarmEmail/);
    }
  });

  it('lives in its own nested stack: the parent gains one resource', () => {
    const count = (s: typeof plain) => Object.keys(s.template.toJSON().Resources).length;
    expect(count(monitored) - count(plain)).toBe(1);
    const nested = [...monitored.nestedTemplates].find(([path]) => path.endsWith('/Monitoring'))?.[1];
    for (const type of MONITORING_TYPES) expect(Object.keys(nested!.findResources(type)).length, type).toBeGreaterThan(0);
  });

  it('mails the address through an SNS topic that only takes TLS', () => {
    expect(Object.values(monitored.resources('AWS::SNS::Subscription')).map((s) => s.Properties)).toEqual([
      { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: expect.any(String) } },
    ]);
    const policies = Object.values(monitored.resources('AWS::SNS::TopicPolicy'));
    expect(JSON.stringify(policies)).toContain('aws:SecureTransport');
  });

  it('alarms on every failure queue as soon as one message is visible', () => {
    const queueAlarms = alarmNamed('FailureQueue');
    expect(queueAlarms).toHaveLength(FAILURE_QUEUES.length);
    for (const a of queueAlarms) {
      expect(a).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    // Each failure queue is also a stack output, where npm run redrive finds it.
    const outputs = monitored.template.toJSON().Outputs as Record<string, unknown>;
    for (const q of FAILURE_QUEUES) expect(outputs, q.name).toHaveProperty(failureQueueOutputKey(q.name));
  });

  it("alarms on the outbox publisher's iterator age, Lambda errors and throttles, the API's 5xx rate and SES reputation", () => {
    expect(alarmNamed('OutboxIteratorAge')).toEqual([
      expect.objectContaining({ MetricName: 'IteratorAge', Namespace: 'AWS/Lambda', Statistic: 'Maximum', Threshold: MONITORING_THRESHOLDS.outboxIteratorAgeMs }),
    ]);
    expect(alarmNamed('OutboxIteratorAge')[0]!.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: monitored.functionId('outboxPublisher') } }]);
    expect(alarmNamed('FunctionErrors')).toEqual([expect.objectContaining({ MetricName: 'Errors', Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 5 })]);
    expect(alarmNamed('FunctionThrottles')).toEqual([expect.objectContaining({ MetricName: 'Throttles', Namespace: 'AWS/Lambda', Threshold: 1 })]);
    const api = alarmNamed('Api5xxRate')[0]!;
    expect(api.Threshold).toBe(5);
    expect(JSON.stringify(api.Metrics)).toContain('100 * errors / requests');
    expect(alarmNamed('SesBounceRate')).toEqual([expect.objectContaining({ MetricName: 'Reputation.BounceRate', Namespace: 'AWS/SES', Threshold: 0.04 })]);
    expect(alarmNamed('SesComplaintRate')).toEqual([expect.objectContaining({ MetricName: 'Reputation.ComplaintRate', Namespace: 'AWS/SES', Threshold: 0.0008 })]);
    // Both warn below AWS's review thresholds (5 % and 0.1 %).
    expect(MONITORING_THRESHOLDS.sesBounceRate).toBeLessThan(0.05);
    expect(MONITORING_THRESHOLDS.sesComplaintRate).toBeLessThan(0.001);
  });

  it('sends every alarm and its recovery to the topic, and has one dashboard', () => {
    expect(alarms()).toHaveLength(FAILURE_QUEUES.length + 6);
    for (const [id, a] of alarms()) {
      expect(a.Properties!.AlarmActions, id).toEqual([{ Ref: expect.stringMatching(/^Alarms/) }]);
      expect(a.Properties!.OKActions, id).toEqual(a.Properties!.AlarmActions);
    }
    expect(Object.keys(monitored.resources('AWS::CloudWatch::Dashboard'))).toHaveLength(1);
  });

  it('keeps cdk-nag clean', () => {
    // The monitored synth above: the same app (bundling and packs off, alarmEmail set).
    const { stack } = monitored;
    const findings = [new AwsSolutionsChecks(undefined, { verbose: true }), new ServerlessChecks(undefined, { verbose: true })].flatMap((pack) =>
      pack.validateScope(stack).violations.map((v) => ({ rule: v.ruleName, at: v.violatingResources.map((r) => r.constructPath) })),
    );
    expect(findings).toEqual([]);
  }, 240_000);
});
