import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { campaignControlFor } from '../../functions/campaigns/campaign-control.ts';
import { campaignRuleName } from '../../functions/campaigns/campaign-triggers.ts';
import { localCampaignControl } from '../../infra/local/functions.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { functionNameOfArn, functionTargetOf, localFunctionArn } from '../../infra/local/local-arns.ts';
import { startLocalBus } from '../../infra/local/local-bus.ts';
import { fakeClock } from '../support/fakes.ts';

// Rules created at run time on the local bus, through EventBridge's own API and the very adapter
// the campaigns function uses on AWS: they deliver what matches, transformed, until deleted, and
// with a data directory they and their deliveries survive a restart.

const stops: (() => Promise<void>)[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'bus-rules-'));
  dirs.push(dir);
  return dir;
}

type Received = { fn: string; payload: unknown };

async function bus(options: { received?: Received[]; dir?: string; deliver?: (fn: string, payload: unknown) => Promise<unknown> } = {}) {
  const received = options.received ?? [];
  const started = await startLocalBus({
    busName: 'crm',
    rules: [{ name: 'audit-log', pattern: { source: ['crm.customers'] }, deliver: async () => undefined }],
    functionTarget: (arn) => {
      const fn = functionNameOfArn(arn);
      if (fn !== 'campaignTrigger' && fn !== 'campaignStarter') return undefined;
      return options.deliver ? (payload) => options.deliver!(fn, payload) : async (payload) => void received.push({ fn, payload });
    },
    ...(options.dir ? { journalDir: join(options.dir, 'bus'), rulesFile: join(options.dir, 'bus', 'rules.json') } : {}),
  });
  stops.push(() => started.stop());
  const client = new EventBridgeClient({ endpoint: started.endpoint, ...LOCAL_AWS, maxAttempts: 1 });
  const control = campaignControlFor(localCampaignControl({ bus: started.endpoint, scheduler: 'http://127.0.0.1:9' }), fakeClock());
  return { bus: started, client, control, received };
}

async function put(client: EventBridgeClient, detailType: string, data: Record<string, unknown>) {
  const out = await client.send(
    new PutEventsCommand({ Entries: [{ Source: 'crm.customers', DetailType: detailType, Detail: JSON.stringify({ metadata: { eventId: 'e' }, data }), EventBusName: 'crm' }] }),
  );
  return out.Entries![0]!.EventId!;
}

const created = { source: ['crm.customers'], 'detail-type': ['CustomerCreated'] };

describe('run-time rules on the local bus', () => {
  it('deliver matching events to the target function as {campaignId, event}, and nothing else', async () => {
    const { bus: b, client, control, received } = await bus();
    await control.triggers.enable('c-1', created);
    const id = await put(client, 'CustomerCreated', { customerId: 'cu-1' });
    await put(client, 'CustomerUpdated', { customerId: 'cu-1' });
    await b.idle();
    expect(received).toHaveLength(1);
    expect(received[0]!.fn).toBe('campaignTrigger');
    expect(received[0]!.payload).toMatchObject({
      campaignId: 'c-1',
      event: { id, source: 'crm.customers', 'detail-type': 'CustomerCreated', detail: { data: { customerId: 'cu-1' } } },
    });
  });

  it('stop delivering once the rule is removed, and removing it again is no error', async () => {
    const { bus: b, client, control, received } = await bus();
    await control.triggers.enable('c-1', created);
    await control.triggers.disable('c-1');
    await control.triggers.disable('c-1');
    await put(client, 'CustomerCreated', { customerId: 'cu-1' });
    await b.idle();
    expect(received).toEqual([]);
    await expect(client.send(new DescribeRuleCommand({ Name: campaignRuleName('c-1'), EventBusName: 'crm' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('enable again replaces the pattern and keeps one target', async () => {
    const { bus: b, client, control, received } = await bus();
    await control.triggers.enable('c-1', created);
    await control.triggers.enable('c-1', { source: ['crm.customers'], 'detail-type': ['CustomerUpdated'] });
    expect((await client.send(new ListTargetsByRuleCommand({ Rule: campaignRuleName('c-1'), EventBusName: 'crm' }))).Targets).toHaveLength(1);
    await put(client, 'CustomerCreated', {});
    await put(client, 'CustomerUpdated', {});
    await b.idle();
    expect(received.map((r) => (r.payload as { event: { 'detail-type': string } }).event['detail-type'])).toEqual(['CustomerUpdated']);
  });

  it('refuses a pattern EventBridge would refuse with InvalidEventPatternException, naming the path', async () => {
    const { control } = await bus();
    await expect(control.triggers.enable('c-1', { detail: { data: { channel: [] } } })).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
      message: expect.stringMatching(/detail\.data\.channel/),
    });
  });

  it('reports a target ARN that names no local function as a failed entry, which the adapter turns into an error', async () => {
    const { client } = await bus();
    const Name = 'campaign-x';
    await client.send(new PutRuleCommand({ Name, EventBusName: 'crm', EventPattern: JSON.stringify(created) }));
    const out = await client.send(new PutTargetsCommand({ Rule: Name, EventBusName: 'crm', Targets: [{ Id: 't', Arn: localFunctionArn('nobody') }] }));
    expect(out.FailedEntryCount).toBe(1);
    expect(out.FailedEntries![0]).toMatchObject({ TargetId: 't', ErrorCode: 'ValidationException' });
  });

  it('applies InputPathsMap with simple paths and <aws.events.rule-name>, and refuses what it does not emulate', async () => {
    const { bus: b, client, received } = await bus();
    const Name = 'campaign-paths';
    await client.send(new PutRuleCommand({ Name, EventBusName: 'crm', EventPattern: JSON.stringify(created) }));
    await client.send(
      new PutTargetsCommand({
        Rule: Name,
        EventBusName: 'crm',
        Targets: [
          {
            Id: 't',
            Arn: localFunctionArn('campaignTrigger'),
            InputTransformer: { InputPathsMap: { customer: '$.detail.data.customerId', missing: '$.detail.nope' }, InputTemplate: '{"rule": "<aws.events.rule-name>", "who": <customer>, "text": "for <customer>", "gone": <missing>}' },
          },
        ],
      }),
    );
    await put(client, 'CustomerCreated', { customerId: 'cu-9' });
    await b.idle();
    expect(received.map((r) => r.payload)).toEqual([{ rule: Name, who: 'cu-9', text: 'for cu-9', gone: null }]);

    const refused = (Targets: NonNullable<ConstructorParameters<typeof PutTargetsCommand>[0]['Targets']>) =>
      client.send(new PutTargetsCommand({ Rule: Name, EventBusName: 'crm', Targets })).catch((e: Error) => e.name);
    const arn = localFunctionArn('campaignTrigger');
    expect(await refused([{ Id: 't', Arn: arn, InputPath: '$.detail' }])).toBe('ValidationException');
    expect(await refused([{ Id: 't', Arn: arn, InputTransformer: { InputPathsMap: { a: '$.detail[0]' }, InputTemplate: '<a>' } }])).toBe('ValidationException');
    expect(await refused([{ Id: 't', Arn: arn, InputTransformer: { InputTemplate: '{"x": <unknown>}' } }])).toBe('ValidationException');
  });

  it('answers the rule API with AWS error types: unknown rule, a rule with targets, an unknown bus, a topology rule', async () => {
    const { client, control } = await bus();
    await expect(client.send(new RemoveTargetsCommand({ Rule: 'nope', EventBusName: 'crm', Ids: ['t'] }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new DeleteRuleCommand({ Name: 'nope', EventBusName: 'crm' }))).resolves.toBeDefined();
    await control.triggers.enable('c-1', created);
    await expect(client.send(new DeleteRuleCommand({ Name: campaignRuleName('c-1'), EventBusName: 'crm' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(client.send(new PutRuleCommand({ Name: 'x', EventBusName: 'other', EventPattern: JSON.stringify(created) }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new PutRuleCommand({ Name: 'audit-log', EventBusName: 'crm', EventPattern: JSON.stringify(created) }))).rejects.toMatchObject({ name: 'ValidationException' });
    expect(await client.send(new DescribeRuleCommand({ Name: campaignRuleName('c-1'), EventBusName: 'crm' }))).toMatchObject({
      Name: campaignRuleName('c-1'),
      Description: 'Trigger of campaign c-1',
      EventPattern: JSON.stringify(created),
      State: 'ENABLED',
      Arn: `arn:aws:events:us-east-1:000000000000:rule/crm/${campaignRuleName('c-1')}`,
    });
  });

  it('keep their rules across a restart with a data directory', async () => {
    const dir = dataDir();
    const first = await bus({ dir });
    await first.control.triggers.enable('c-1', created);
    await first.bus.stop();

    const second = await bus({ dir });
    await put(second.client, 'CustomerCreated', { customerId: 'cu-2' });
    await second.bus.idle();
    expect(second.received).toMatchObject([{ fn: 'campaignTrigger', payload: { campaignId: 'c-1', event: { detail: { data: { customerId: 'cu-2' } } } } }]);
  });

  it('journal their deliveries: one accepted before a crash reaches the function after the restart, with its input', async () => {
    const dir = dataDir();
    const first = await bus({ dir, deliver: () => new Promise(() => undefined) }); // never answers: the process "dies" first
    await first.control.triggers.enable('c-1', created);
    await put(first.client, 'CustomerCreated', { customerId: 'cu-3' });
    expect(readdirSync(join(dir, 'bus', 'pending'))).toHaveLength(1);

    const second = await bus({ dir });
    expect(second.bus.resumePending()).toBe(1);
    await second.bus.idle();
    expect(second.received).toMatchObject([{ fn: 'campaignTrigger', payload: { campaignId: 'c-1', event: { detail: { data: { customerId: 'cu-3' } } } } }]);
    expect(readdirSync(join(dir, 'bus', 'pending'))).toEqual([]);
  });
});

describe('local function ARNs', () => {
  it('name a runtime function by its topology key in the local account, and nothing else', async () => {
    const calls: [string, unknown][] = [];
    const target = functionTargetOf(['campaignTrigger', 'campaignStarter'], async (name, payload) => void calls.push([name, payload]));
    await target(localFunctionArn('campaignStarter'))!({ campaignId: 'c-1' });
    expect(calls).toEqual([['campaignStarter', { campaignId: 'c-1' }]]);
    expect(target(localFunctionArn('docs'))).toBeUndefined();
    expect(target('arn:aws:lambda:us-east-1:123456789012:function:campaignStarter')).toBeUndefined();
    expect(target('arn:aws:lambda:us-east-1:000000000000:function:campaignStarter:live')).toBeUndefined();
  });
});
