import { MessageRejected, SESv2ServiceException, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SendBatch } from '../../domain/campaigns/delivery.repository.ts';
import { campaignMailer, intervalPacer, mailResultOf } from '../../functions/campaigns/campaign-mailer.ts';
import { campaignSenderHandler, campaignStarterHandler } from '../../functions/campaigns/delivery.handlers.ts';

// The sender's edges: SES errors in delivery's terms, the pace of one lane (on a fake clock), and
// the stream handler that keeps a lane in order when a batch fails.

const meta = (httpStatusCode: number) => ({ httpStatusCode, attempts: 1, totalRetryDelay: 0 });
let errorLog: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => errorLog.mockRestore());

describe('mailResultOf', () => {
  it('retries what SES did not take, never what may have gone out, and gives up on what SES refused', () => {
    expect(mailResultOf(new TooManyRequestsException({ message: 'slow down', $metadata: meta(429) }))).toEqual({ status: 'retry' });
    expect(mailResultOf(new SESv2ServiceException({ name: 'InternalFailure', $fault: 'server', message: 'oops', $metadata: meta(500) }))).toEqual({ status: 'retry' });
    expect(mailResultOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toEqual({ status: 'retry' });
    expect(mailResultOf(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toEqual({ status: 'unconfirmed' });
    expect(mailResultOf(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toEqual({ status: 'unconfirmed' });
    expect(mailResultOf(new MessageRejected({ message: 'no', $metadata: meta(400) }))).toEqual({ status: 'refused', reason: 'MessageRejected' });
    expect(mailResultOf(new Error('An email recipient holds a control character; nothing was sent.'))).toEqual({ status: 'refused', reason: 'invalid_message' });
  });

  it('answers accepted with the message id', async () => {
    const mailer = campaignMailer({ send: async () => ({ messageId: 'm-1' }) });
    expect(await mailer.send({ to: ['a@example.com'], subject: 's', text: 't', kind: 'marketing' })).toEqual({ status: 'accepted', messageId: 'm-1' });
  });
});

describe('intervalPacer', () => {
  it('spaces the messages of a lane 1/rate apart, and does not wait at all when unpaced', async () => {
    let now = 0;
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
      now += ms;
    };
    const pacer = intervalPacer(4, sleep, () => now);
    for (let i = 0; i < 4; i++) await pacer.next();
    expect(slept).toEqual([250, 250, 250]);
    now += 1000; // a slow send: no debt is paid back in a burst
    await pacer.next();
    await pacer.next();
    expect(slept).toEqual([250, 250, 250, 250]);
    const sleeps: number[] = [];
    const together = intervalPacer(4, async (ms) => void sleeps.push(ms), () => 0);
    await Promise.all([together.next(), together.next(), together.next()]);
    expect(sleeps).toEqual([250, 500]); // recipients worked on at once still go out a gap apart
    const unpaced = intervalPacer(0, sleep, () => now);
    for (let i = 0; i < 3; i++) await unpaced.next();
    expect(slept).toHaveLength(4);
  });
});

function record(item: Record<string, unknown>, sequence: string, eventName: 'INSERT' | 'MODIFY' = 'INSERT'): DynamoDBRecord {
  return { eventName, dynamodb: { NewImage: marshall(item) as never, SequenceNumber: sequence } };
}
const batchItem = (sk: string, status = 'queued') => ({ pk: 'SEND#cmp-1#0', sk, campaignId: 'cmp-1', lane: 0, customerIds: ['c-1'], status });

describe('campaignSenderHandler', () => {
  it('sends each queued batch in order and skips anything else', async () => {
    const seen: SendBatch[] = [];
    const handler = campaignSenderHandler({ sendBatch: async (b) => (seen.push(b), 'done') });
    const result = await handler({ Records: [record(batchItem('a'), '1'), record(batchItem('b', 'done'), '2', 'MODIFY'), record({ pk: 'CUSTOMER#c-1', sk: 'PROFILE', status: 'queued' }, '3'), record(batchItem('c'), '4', 'MODIFY')] });
    expect(result.batchItemFailures).toEqual([]);
    expect(seen).toEqual([
      { campaignId: 'cmp-1', lane: 0, id: 'a', customerIds: ['c-1'] },
      { campaignId: 'cmp-1', lane: 0, id: 'c', customerIds: ['c-1'] },
    ]);
  });

  it('reports a failed batch and every one after it, so the lane resumes from there in order', async () => {
    const seen: string[] = [];
    const handler = campaignSenderHandler({
      sendBatch: async (b) => {
        seen.push(b.id);
        if (b.id === 'b') throw new Error('SES kept throttling');
        return 'done';
      },
    });
    const result = await handler({ Records: [record(batchItem('a'), '1'), record(batchItem('b'), '2'), record(batchItem('c'), '3')] });
    expect(seen).toEqual(['a', 'b']);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2' }, { itemIdentifier: '3' }]);
  });
});

describe('campaignStarterHandler', () => {
  it('starts the campaign the schedule names, and ignores an input without one', async () => {
    const started: string[] = [];
    const handler = campaignStarterHandler({ start: async (id) => (started.push(id), 'started') });
    expect(await handler({ campaignId: 'cmp-1' })).toEqual({ campaignId: 'cmp-1', result: 'started' });
    expect(await handler({ nope: true })).toEqual({ campaignId: null, result: 'ignored' });
    expect(started).toEqual(['cmp-1']);
  });
});
