import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, describe, expect, it } from 'vitest';
import { campaignControlFor } from '../../functions/campaigns/campaign-control.ts';
import { campaignRuleName } from '../../functions/campaigns/campaign-triggers.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { localFunctionArn } from '../../infra/local/local-arns.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// The local runtime hands the functions campaign-control settings whose endpoints are its own bus
// and scheduler: the adapters create a campaign's rule and its start schedule there, and with
// CRM_DATA_DIR both are still there after a restart.

const dir = mkdtempSync(join(tmpdir(), 'campaign-control-'));
let running: TestRuntime | undefined;
afterAll(async () => {
  await running?.runtime.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('campaign control in the local runtime', () => {
  it('creates rules and schedules on the runtime bus and scheduler that survive a restart', async () => {
    running = await startTestRuntime({ dataDir: dir });
    const { runtime } = running;
    expect(runtime.campaignControl).toMatchObject({
      triggerArn: localFunctionArn('campaignTrigger'),
      schedules: { group: 'crm-schedules', targets: { campaignStarter: localFunctionArn('campaignStarter'), scheduledErasure: localFunctionArn('scheduledErasure') } },
    });
    const control = campaignControlFor(runtime.campaignControl, runtime.clock);
    await control.triggers.enable('c-e2e', { source: ['crm.customers'], 'detail-type': ['CustomerCreated'] });
    const at = new Date(runtime.clock.now().getTime() + 3_600_000).toISOString();
    await control.schedules.at('campaign-start-c-e2e', at, 'campaignStarter', { campaignId: 'c-e2e' });
    const tableName = runtime.tableName;
    await runtime.stop();
    running = undefined;

    running = await startTestRuntime({ dataDir: dir, tableName });
    const again = running.runtime.campaignControl;
    const rules = new EventBridgeClient({ endpoint: again.eventBridge!.endpoint as string, ...LOCAL_AWS });
    const schedules = new SchedulerClient({ endpoint: again.schedules.scheduler!.endpoint as string, ...LOCAL_AWS });
    expect(await rules.send(new DescribeRuleCommand({ Name: campaignRuleName('c-e2e'), EventBusName: 'crm' }))).toMatchObject({ State: 'ENABLED' });
    expect(await schedules.send(new GetScheduleCommand({ Name: 'campaign-start-c-e2e', GroupName: 'crm-schedules' }))).toMatchObject({
      ScheduleExpression: `at(${at.slice(0, 19)})`,
      Target: { Arn: localFunctionArn('campaignStarter'), Input: '{"campaignId":"c-e2e"}' },
    });

    const restarted = campaignControlFor(again, running.runtime.clock);
    await restarted.triggers.disable('c-e2e');
    await restarted.schedules.cancel('campaign-start-c-e2e');
    await expect(rules.send(new DescribeRuleCommand({ Name: campaignRuleName('c-e2e'), EventBusName: 'crm' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(schedules.send(new GetScheduleCommand({ Name: 'campaign-start-c-e2e', GroupName: 'crm-schedules' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
