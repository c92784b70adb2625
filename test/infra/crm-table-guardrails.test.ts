import { describe, expect, it } from 'vitest';
import { ALL_INDEXES } from '#infra/table.ts';
import { synthCrm } from './crm-app.ts';

// The table's guardrails (issue 14): an on-demand throughput ceiling on the table and every index
// (configurable), and an AWS Backup plan only when a company asks for one.

const tableOf = (crm: ReturnType<typeof synthCrm>) => {
  const tables = Object.values(crm.resources('AWS::DynamoDB::Table'));
  expect(tables).toHaveLength(1);
  return tables[0]!.Properties!;
};

describe('table guardrails', () => {
  it('caps on-demand throughput of the table and each index at 12,000 reads and 4,000 writes a second by default', () => {
    const table = tableOf(synthCrm());
    expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 12_000, MaxWriteRequestUnits: 4_000 });
    expect(table.GlobalSecondaryIndexes).toHaveLength(ALL_INDEXES.length);
    for (const index of table.GlobalSecondaryIndexes) expect(index.OnDemandThroughput, index.IndexName).toEqual({ MaxReadRequestUnits: 12_000, MaxWriteRequestUnits: 4_000 });
  });

  it('takes the ceiling from -c tableMaxReadUnits / tableMaxWriteUnits, and refuses what DynamoDB would', () => {
    const table = tableOf(synthCrm({ context: { tableMaxReadUnits: '500', tableMaxWriteUnits: 200 } }));
    expect(table.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 500, MaxWriteRequestUnits: 200 });
    expect(table.GlobalSecondaryIndexes[0].OnDemandThroughput).toEqual({ MaxReadRequestUnits: 500, MaxWriteRequestUnits: 200 });
    expect(() => synthCrm({ context: { tableMaxReadUnits: '0' } })).toThrow(/tableMaxReadUnits/);
    expect(() => synthCrm({ context: { tableMaxWriteUnits: '50000' } })).toThrow(/tableMaxWriteUnits/);
    expect(() => synthCrm({ context: { tableMaxWriteUnits: '1.5' } })).toThrow(/tableMaxWriteUnits/);
  });

  it('has no backup plan by default (point-in-time recovery only), and a daily one of the table kept 35 days with -c backup=daily', () => {
    const none = synthCrm();
    expect(Object.keys(none.resources('AWS::Backup::BackupPlan'))).toEqual([]);
    expect(tableOf(none).PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });

    const daily = synthCrm({ context: { backup: 'daily' } });
    const plans = Object.values(daily.resources('AWS::Backup::BackupPlan'));
    expect(plans).toHaveLength(1);
    const rules = plans[0]!.Properties!.BackupPlan.BackupPlanRule;
    expect(rules).toEqual([expect.objectContaining({ ScheduleExpression: 'cron(0 5 * * ? *)', Lifecycle: { DeleteAfterDays: 35 } })]);
    const selections = Object.values(daily.resources('AWS::Backup::BackupSelection'));
    expect(selections).toHaveLength(1);
    const tableId = Object.keys(daily.resources('AWS::DynamoDB::Table'))[0]!;
    expect(JSON.stringify(selections[0]!.Properties!.BackupSelection.Resources)).toContain(tableId);
    const vaults = Object.entries(daily.template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>).filter(([, r]) => r.Type === 'AWS::Backup::BackupVault');
    expect(vaults.map(([, v]) => v.DeletionPolicy)).toEqual(['Retain']);
    expect(() => synthCrm({ context: { backup: 'hourly' } })).toThrow(/backup/);
  });
});
