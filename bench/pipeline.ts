import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { accountKey } from '#functions/sales/account.keys.ts';
import { opportunityPortsFor } from '#functions/sales/opportunity.part.ts';
import { systemClock, uuidIds } from '#functions/shared/system.ts';
import type { Section } from './context.ts';
import { heading, table } from './report.ts';

// Issue 12's pipeline: what the report's counters cost each opportunity write. Each write goes
// through the real use case and repository against DynamoDB Local; a middleware reads the
// TransactWriteItems the write sends: its items, the pipeline's share of them (stage guard, month
// buckets, open counts), and the write units it costs (transactions bill 2 units per item and KB:
// each Put's size is measured as its JSON, each counter Update and ConditionCheck is one KB at most).

type Sent = { items: number; pipeline: number; units: number };

export function pipelineSection(): Section {
  return async (context) => {
    heading('Pipeline: counters per opportunity write');
    const { client, tableName } = await context.table();
    let sent: Sent[] = [];
    const recorded = new WeakSet<object>();
    client.middlewareStack.add(
      (next, ctx) => async (args) => {
        const input = args.input as { TransactItems?: Record<string, { Key?: { pk?: string | { S?: string } }; Item?: unknown }>[] };
        if (String(ctx.commandName).startsWith('TransactWrite') && input.TransactItems && !recorded.has(input)) {
          recorded.add(input); // the document client and the client it wraps both run this stack
          const items = input.TransactItems;
          const pkOf = (key: { pk?: string | { S?: string } } | undefined) => (typeof key?.pk === 'string' ? key.pk : (key?.pk?.S ?? ''));
          const isPipeline = (item: (typeof items)[number]) => pkOf((item.Update ?? item.ConditionCheck)?.Key).startsWith('PIPELINE');
          const units = items.reduce((sum, item) => sum + 2 * (item.Put ? Math.ceil(Buffer.byteLength(JSON.stringify(item.Put.Item)) / 1024) : 1), 0);
          sent.push({ items: items.length, pipeline: items.filter(isPipeline).length, units });
        }
        return next(args);
      },
      { step: 'initialize', name: 'benchPipelineTransactions' },
    );
    const schedules = { at: () => Promise.reject(new Error('no schedules here')), cancel: () => Promise.reject(new Error('no schedules here')) };
    const { opportunities } = opportunityPortsFor({ client, tableName, clock: systemClock, ids: uuidIds, schedules } as never);
    const accountId = `pipeline-bench-${Date.now()}`;
    await client.send(new PutCommand({ TableName: tableName, Item: { ...accountKey(accountId), type: 'Account', data: { id: accountId } } }));

    const rows: string[][] = [['write', 'items', 'pipeline items', 'write units (est.)']];
    const measure = async (label: string, write: () => Promise<unknown>) => {
      sent = [];
      await write();
      const t = sent.at(-1)!;
      rows.push([label, String(t.items), String(t.pipeline), String(t.units)]);
      return t;
    };
    const actor = { id: 'bench-owner', roles: ['agent'] };
    const context_ = { correlationId: 'bench' };
    let o = await opportunities.create({ accountId, name: 'Bench deal', amount: 12_500, currency: 'EUR', closeDate: '2027-03-31', products: [] }, actor, context_);
    const created = { ...sent.at(-1)! };
    rows.push(['create', String(created.items), String(created.pipeline), String(created.units)]);
    const patch = (label: string, body: Record<string, unknown>) => measure(label, async () => (o = await opportunities.patch(o.id, body, undefined, context_)));
    await patch('patch name only', { name: 'Renamed' });
    await patch('patch amount', { amount: 14_000 });
    await patch('stage move (open to open)', { stage: 'proposal' });
    await patch('closeDate to another month', { closeDate: '2027-05-15' });
    await patch('owner change', { ownerId: 'bench-other' });
    const won = await patch('won (closes today)', { stage: 'won' });
    table(rows);
    return [
      { section: 'pipeline', figure: 'transaction items, create (pipeline items)', value: `${created.items} (${created.pipeline})` },
      { section: 'pipeline', figure: 'write units per opportunity create, est.', value: String(created.units) },
      { section: 'pipeline', figure: 'write units per stage move to won, est.', value: `${won.units} (${won.pipeline} pipeline items)` },
    ];
  };
}
