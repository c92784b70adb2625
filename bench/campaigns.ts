import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toIdentityOwnerItem, toCustomerIdentityItem, toProfileItem } from '#functions/customers/customer.keys.ts';
import { EMPTY_STATS } from '#domain/customers/stats.ts';
import { signDevToken } from '#infra/local/dev-jwt.ts';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { startLocalRuntime } from '#infra/local/runtime.ts';
import type { Section } from './context.ts';
import { type Figure, heading, table } from './report.ts';
import { localApi } from './local-api.ts';

// Segments and campaigns (issue 10) end to end on this machine: the local runtime with its real
// stream, scanner, sender and aws-ses-v2-local (in a process of its own, so the inbox it keeps in
// memory is not counted as ours), pacing off. Customers are seeded straight into the table (the
// bench measures the campaign, not customer creation).

export interface CampaignBenchOptions {
  /** Recipient counts, each on a fresh table (e.g. 1,000 and 10,000: memory must stay flat). */
  readonly sizes: readonly number[];
}

const TOPIC = 'news';

/** The partition key of each item a write command touches. */
function writtenKeys(command: string, input: Record<string, unknown>): string[] {
  const pkOf = (item: unknown) => {
    const key = (item ?? {}) as { pk?: { S?: string } | string };
    return typeof key.pk === 'string' ? key.pk : (key.pk?.S ?? '?');
  };
  if (['PutItem', 'Put'].includes(command)) return [pkOf(input.Item)];
  if (['UpdateItem', 'DeleteItem', 'Update', 'Delete'].includes(command)) return [pkOf(input.Key)];
  if (command === 'BatchWriteItem' || command === 'BatchWrite') {
    return Object.values((input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }[]>)
      .flat()
      .map((r) => pkOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key));
  }
  if (command === 'TransactWriteItems' || command === 'TransactWrite') {
    return ((input.TransactItems ?? []) as Record<string, { Item?: unknown; Key?: unknown }>[])
      .filter((item) => !item.ConditionCheck)
      .map((item) => pkOf(item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key));
  }
  return [];
}

/**
 * Counts item writes (what DynamoDB bills as writes: each put, update and delete of a transaction,
 * each item of a batch), split into the send path and the SES feedback counted afterwards.
 */
function countWrites(client: DynamoDBDocumentClient) {
  let send = 0;
  let feedback = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      // The document client's commands reach this stack as the low-level ones (PutItemCommand, ...).
      const command = String(context.commandName).replace(/Command$/, '');
      for (const pk of writtenKeys(command, args.input as Record<string, unknown>)) {
        if (pk.startsWith('ONCE#campaign-feedback#')) feedback += 2; // the once-marker and its counter's ADD
        else send += 1;
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchWriteCount' },
  );
  return {
    take() {
      const taken = { send: send - feedback / 2, feedback };
      send = 0;
      feedback = 0;
      return taken;
    },
  };
}

export async function seed(client: DynamoDBDocumentClient, tableName: string, count: number) {
  const now = new Date().toISOString();
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const email = `bench-${i}-${id.slice(0, 8)}@example.com`;
    items.push(
      toProfileItem({ id, email, firstName: `Person${i}`, lastName: null, phone: null, locale: 'en-GB', timezone: null, attributes: { tier: i % 2 ? 'gold' : 'silver' }, tags: [], stats: EMPTY_STATS, statsRevision: 0, mergedInto: null, createdAt: now, updatedAt: now, version: 1 }),
      toIdentityOwnerItem('email', email, id, now),
      toCustomerIdentityItem('email', email, id, now),
      { pk: `CONSENT#${id}`, sk: `STATE#${TOPIC}`, state: 'subscribed', updatedAt: now },
    );
  }
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < chunks.length; i = next++) {
        let pending = chunks[i]!.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length) {
          const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
        }
      }
    }),
  );
}

async function startSesProcess(): Promise<{ endpoint: string; stop(): void }> {
  const cli = createRequire(import.meta.url).resolve('aws-ses-v2-local/dist/cli.js');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [cli, '--port', String(port), '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`aws-ses-v2-local exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('server running')) resolve();
    });
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

interface Run {
  readonly recipients: number;
  readonly previewMs: number;
  readonly sendMs: number;
  readonly sent: number;
  readonly writesPerRecipient: number;
  readonly feedbackWritesPerRecipient: number;
  readonly peakHeapMb: number;
}

async function runOne(dynamodbEndpoint: string, recipients: number): Promise<Run> {
  const ses = await startSesProcess();
  const runtime = await startLocalRuntime({ port: 0, sesPort: 0, dynamodbPort: 0, dynamodbEndpoint, sesEndpoint: ses.endpoint, tableName: `bench-campaign-${randomUUID()}` });
  try {
    const token = await signDevToken({ role: 'admin' });
    const call = localApi(runtime.url, token);
    await call('PUT', '/topics', [{ id: TOPIC, name: 'News', purpose: 'marketing' }]);
    await seed(runtime.client, runtime.tableName, recipients);

    const segment = await call('POST', '/segments', { name: 'Subscribed to news', rule: { field: `consent.${TOPIC}`, op: 'eq', value: 'subscribed' } });
    const t0 = performance.now();
    const preview = await call('GET', `/segments/${String(segment.id)}/preview?limit=20`);
    const previewMs = performance.now() - t0;
    if (preview.count !== recipients) throw new Error(`preview counted ${String(preview.count)} of ${recipients}`);

    const at = new Date(runtime.clock.now().getTime() + 120_000).toISOString();
    const campaign = await call('POST', '/campaigns', {
      name: `Bench ${recipients}`,
      topic: TOPIC,
      template: { subject: 'Hello {{firstName|there}}', text: 'News for {{attributes.tier}} members.' },
      audience: { segmentId: segment.id },
      schedule: { at },
    });
    await call('POST', `/campaigns/${String(campaign.id)}/schedule`, {});

    const writes = countWrites(runtime.client);
    writes.take();
    global.gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 20);
    const t1 = performance.now();
    // The scheduler's next tick (within a second) fires the start; POST /_local/clock/advance would
    // also wait for the whole campaign, longer than an HTTP client waits for headers.
    runtime.clock.advance(180);
    let report: Record<string, unknown> = {};
    for (;;) {
      const state = await call('GET', `/campaigns/${String(campaign.id)}`);
      report = await call('GET', `/campaigns/${String(campaign.id)}/report`);
      if (state.status === 'completed') break;
      if (performance.now() - t1 > 15 * 60_000) throw new Error(`campaign not completed after 15 minutes: ${JSON.stringify(report)}`);
      await runtime.idle();
      await new Promise((r) => setTimeout(r, 100));
    }
    const sendMs = performance.now() - t1;
    clearInterval(sampler);
    const sent = Number(report.sent);
    if (sent !== recipients) throw new Error(`sent ${sent} of ${recipients}: ${JSON.stringify(report)}`);
    const written = writes.take();
    return { recipients, previewMs, sendMs, sent, writesPerRecipient: written.send / recipients, feedbackWritesPerRecipient: written.feedback / recipients, peakHeapMb: (peak - baseline) / 2 ** 20 };
  } finally {
    await runtime.stop();
    ses.stop();
  }
}

export function campaignSection(options: CampaignBenchOptions): Section {
  return async () => {
    heading('Segments and campaigns: scan rate, send rate, writes and memory per recipient');
    const dynamo = await startDynamoDbLocal({ port: 0 });
    const runs: Run[] = [];
    const previous = process.env.CAMPAIGN_SEND_RATE;
    process.env.CAMPAIGN_SEND_RATE = '0';
    try {
      for (const size of options.sizes) runs.push(await runOne(dynamo.endpoint, size));
    } finally {
      if (previous === undefined) delete process.env.CAMPAIGN_SEND_RATE;
      else process.env.CAMPAIGN_SEND_RATE = previous;
      await dynamo.stop();
    }
    table([
      ['recipients', 'segment scan', 'customers/s', 'campaign', 'sent/s', 'writes/recipient', 'feedback writes', 'peak heap'],
      ...runs.map((r) => [
        String(r.recipients),
        `${(r.previewMs / 1000).toFixed(2)} s`,
        (r.recipients / (r.previewMs / 1000)).toFixed(0),
        `${(r.sendMs / 1000).toFixed(1)} s`,
        (r.sent / (r.sendMs / 1000)).toFixed(0),
        r.writesPerRecipient.toFixed(3),
        r.feedbackWritesPerRecipient.toFixed(3),
        `${r.peakHeapMb.toFixed(1)} MB`,
      ]),
    ]);
    const figures: Figure[] = [];
    for (const r of runs) {
      figures.push(
        { section: 'campaigns', figure: `segment evaluation, ${r.recipients} customers`, value: `${(r.recipients / (r.previewMs / 1000)).toFixed(0)} customers/s` },
        { section: 'campaigns', figure: `send rate, ${r.recipients} recipients, unpaced`, value: `${(r.sent / (r.sendMs / 1000)).toFixed(0)} messages/s` },
        { section: 'campaigns', figure: `DynamoDB item writes per recipient, sending (${r.recipients})`, value: r.writesPerRecipient.toFixed(3), target: '<= 2.1 (2 per recipient; batches, pages, report)', pass: r.writesPerRecipient <= 2.1 },
        { section: 'campaigns', figure: `DynamoDB item writes per recipient, SES feedback (${r.recipients})`, value: r.feedbackWritesPerRecipient.toFixed(3) },
        { section: 'campaigns', figure: `peak heap growth while sending (${r.recipients})`, value: `${r.peakHeapMb.toFixed(1)} MB` },
      );
    }
    const [small, large] = [runs[0], runs.at(-1)];
    if (small && large && large !== small) {
      const ratio = large.peakHeapMb / Math.max(small.peakHeapMb, 1);
      figures.push({ section: 'campaigns', figure: `peak heap ${large.recipients} vs ${small.recipients}`, value: `${ratio.toFixed(2)}x`, target: 'flat (< 2x for 10x the recipients)', pass: ratio < 2 });
    }
    return figures;
  };
}
