import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { failureQueue, failureQueueOutputKey } from '#infra/failure-queues.ts';
import { redriveAws } from '#infra/ops/aws-redrive.ts';

// The AWS side of npm run redrive, at the SDK edge: which messages go to which function, what is
// deleted, and what is put back as it was.

const cloudFormation = mockClient(CloudFormationClient);
const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const streams = mockClient(DynamoDBStreamsClient);
const clients = () => ({ cloudFormation: new CloudFormationClient({}), sqs: new SQSClient({}), lambda: new LambdaClient({}), streams: new DynamoDBStreamsClient({}) });
const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/Crm-dlq';
const payloadOf = (call: { args: [InvokeCommand] }) => JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array));
const answer = (value: unknown, functionError?: string) => ({ StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify(value)) as never, ...(functionError ? { FunctionError: functionError } : {}) });

/** The queue's messages, handed out once (ReceiveMessage then answers empty, as a drained queue does). */
function queueHolding(messages: { MessageId: string; ReceiptHandle: string; Body: string; MessageAttributes?: Record<string, { StringValue: string; DataType: string }> }[]) {
  sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: messages }).resolves({ Messages: [] });
}

beforeEach(() => {
  for (const mock of [cloudFormation, sqs, lambda, streams]) mock.reset();
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'Crm',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: ['optInMail', 'outboxPublisher-stream', 'deliveries', 'ses-forwarding'].map((name) => ({ OutputKey: failureQueueOutputKey(name), OutputValue: QUEUE_URL })),
      },
    ],
  });
  cloudFormation.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [
      { LogicalResourceId: 'OptInMailFunction1A2B3C4D', PhysicalResourceId: 'Crm-OptInMailFunction-xyz', ResourceType: 'AWS::Lambda::Function', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
      { LogicalResourceId: 'OptInMailFunctionRole0A1B2C3D', PhysicalResourceId: 'role', ResourceType: 'AWS::IAM::Role', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
      { LogicalResourceId: 'OutboxPublisherFunction4BDC6D54', PhysicalResourceId: 'Crm-OutboxPublisher-abc', ResourceType: 'AWS::Lambda::Function', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
      { LogicalResourceId: 'EmailFeedbackFunctionAAAA0000', PhysicalResourceId: 'Crm-EmailFeedback-def', ResourceType: 'AWS::Lambda::Function', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
    ],
  });
  sqs.on(DeleteMessageCommand).resolves({});
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});

describe('redriveAws', () => {
  it("invokes a function's own queue's events synchronously: taken is deleted, failed again is made visible again as it was", async () => {
    queueHolding([
      { MessageId: 'm1', ReceiptHandle: 'r1', Body: JSON.stringify({ 'detail-type': 'ConsentRequested', detail: { n: 1 } }) },
      { MessageId: 'm2', ReceiptHandle: 'r2', Body: JSON.stringify({ 'detail-type': 'ConsentRequested', detail: { n: 2 } }) },
    ]);
    lambda.on(InvokeCommand).callsFake((input) => (JSON.parse(new TextDecoder().decode(input.Payload)).detail.n === 1 ? answer(null) : answer({ errorMessage: 'SES down' }, 'Unhandled')));
    const outcome = await redriveAws(failureQueue('optInMail')!, 'Crm', clients());
    expect(outcome).toMatchObject({ queue: 'optInMail', redriven: 1, failedAgain: 1 });
    expect(outcome.errors[0]).toContain('SES down');
    const invokes = lambda.commandCalls(InvokeCommand);
    expect(invokes.map((c) => [c.args[0].input.FunctionName, c.args[0].input.InvocationType, payloadOf(c).detail.n])).toEqual([
      ['Crm-OptInMailFunction-xyz', 'RequestResponse', 1],
      ['Crm-OptInMailFunction-xyz', 'RequestResponse', 2],
    ]);
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual(['r1']);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([{ QueueUrl: QUEUE_URL, ReceiptHandle: 'r2', VisibilityTimeout: 0 }]);
    // Hidden while being redriven for as long as the longest function may run.
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input.VisibilityTimeout).toBe(900);
  });

  it("re-reads a stream failure's records (its shard and sequence range, the consumer's filter) and hands them to the consumer", async () => {
    const info = { shardId: 'shard-1', startSequenceNumber: '100', endSequenceNumber: '300', streamArn: 'arn:aws:dynamodb:eu-central-1:123456789012:table/t/stream/x', batchSize: 2 };
    queueHolding([{ MessageId: 'm1', ReceiptHandle: 'r1', Body: JSON.stringify({ DDBStreamBatchInfo: info }) }]);
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    const record = (seq: string, pk: string) => ({
      eventName: 'INSERT' as const,
      dynamodb: { SequenceNumber: seq, Keys: marshall({ pk, sk: 'EVENT' }) as never, NewImage: marshall({ pk, sk: 'EVENT' }) as never, ApproximateCreationDateTime: new Date('2025-01-15T09:00:00Z') },
    });
    streams.on(GetRecordsCommand).resolves({ Records: [record('100', 'OUTBOX#a'), record('200', 'CUSTOMER#c'), record('300', 'OUTBOX#b'), record('400', 'OUTBOX#c')], NextShardIterator: 'it-2' });
    lambda.on(InvokeCommand).resolves(answer({ batchItemFailures: [] }));
    const outcome = await redriveAws(failureQueue('outboxPublisher-stream')!, 'Crm', clients());
    expect(outcome).toMatchObject({ redriven: 1, failedAgain: 0 });
    expect(streams.commandCalls(GetShardIteratorCommand)[0]!.args[0].input).toMatchObject({ ShardId: 'shard-1', ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '100' });
    const [invoke] = lambda.commandCalls(InvokeCommand);
    expect(invoke!.args[0].input.FunctionName).toBe('Crm-OutboxPublisher-abc');
    const records = payloadOf(invoke!).Records as { dynamodb: { SequenceNumber: string; ApproximateCreationDateTime: number } }[];
    expect(records.map((r) => r.dynamodb.SequenceNumber)).toEqual(['100', '300']);
    expect(records[0]!.dynamodb.ApproximateCreationDateTime).toBe(Date.parse('2025-01-15T09:00:00Z') / 1000);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(1);
  });

  it('keeps a stream failure whose records left the stream, and says the outbox sweep has them', async () => {
    queueHolding([{ MessageId: 'm1', ReceiptHandle: 'r1', Body: JSON.stringify({ DDBStreamBatchInfo: { shardId: 's', startSequenceNumber: '1', endSequenceNumber: '2', streamArn: 'arn' } }) }]);
    streams.on(GetShardIteratorCommand).rejects(Object.assign(new Error('trimmed'), { name: 'TrimmedDataAccessException' }));
    const outcome = await redriveAws(failureQueue('outboxPublisher-stream')!, 'Crm', clients());
    expect(outcome).toMatchObject({ redriven: 0, failedAgain: 1 });
    expect(outcome.errors[0]).toContain('the outbox sweep publishes those still pending');
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('delivers a rule or schedule failure to the function its TARGET_ARN names, and leaves one whose target is no function', async () => {
    const fn = 'arn:aws:lambda:eu-central-1:123456789012:function:Crm-CaseErasure-q';
    queueHolding([
      { MessageId: 'm1', ReceiptHandle: 'r1', Body: '{"id":"e1"}', MessageAttributes: { TARGET_ARN: { StringValue: fn, DataType: 'String' } } },
      { MessageId: 'm2', ReceiptHandle: 'r2', Body: '{"id":"e2"}', MessageAttributes: { TARGET_ARN: { StringValue: 'arn:aws:logs:eu-central-1:123456789012:log-group:/aws/events/Crm/audit', DataType: 'String' } } },
    ]);
    lambda.on(InvokeCommand).resolves(answer(null));
    const outcome = await redriveAws(failureQueue('deliveries')!, 'Crm', clients());
    expect(outcome).toMatchObject({ redriven: 1, failedAgain: 1 });
    expect(lambda.commandCalls(InvokeCommand).map((c) => [c.args[0].input.FunctionName, payloadOf(c)])).toEqual([[fn, { id: 'e1' }]]);
  });

  it('hands a forwarded SES event to the consumers whose rules match it', async () => {
    const bounce = { source: 'aws.ses', 'detail-type': 'Email Bounced', detail: { mail: { tags: {} } } };
    queueHolding([{ MessageId: 'm1', ReceiptHandle: 'r1', Body: JSON.stringify(bounce) }]);
    lambda.on(InvokeCommand).resolves(answer(null));
    expect(await redriveAws(failureQueue('ses-forwarding')!, 'Crm', clients())).toMatchObject({ redriven: 1, failedAgain: 0 });
    expect(lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input.FunctionName)).toEqual(['Crm-EmailFeedback-def']);
  });

  it('refuses a stack without that failure queue before receiving anything', async () => {
    await expect(redriveAws(failureQueue('caseErasure')!, 'Crm', clients())).rejects.toThrow(/no output FailureQueueCaseErasure/);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });
});
