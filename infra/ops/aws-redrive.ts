import { type CloudFormationClient, DescribeStacksCommand, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { type DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type FailureQueue, failureQueueOutputKey } from '../failure-queues.ts';
import { compilePattern } from '../local/event-pattern.ts';
import { RULES, STREAM_CONSUMERS } from '../topology.ts';

// npm run redrive -- --queue <name> --stack <stack> on AWS: receives the failure queue's messages
// and hands each once to its consumer with a synchronous Invoke (so the answer says whether it
// failed again). Taken: the message is deleted. Failed again: it is made visible again as it was
// (ChangeMessageVisibility 0, after the run, so one run tries each message once).

export interface AwsClients {
  readonly cloudFormation: CloudFormationClient;
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
  readonly streams: DynamoDBStreamsClient;
}

export interface RedriveOutcome {
  readonly queue: string;
  readonly redriven: number;
  readonly failedAgain: number;
  readonly errors: readonly string[];
}

/** The longest function timeout (15 minutes): a message being redriven stays hidden that long at most. */
const VISIBILITY_SECONDS = 900;
const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export async function redriveAws(queue: FailureQueue, stackName: string, clients: AwsClients): Promise<RedriveOutcome> {
  const { Stacks } = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const queueUrl = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === failureQueueOutputKey(queue.name))?.OutputValue;
  if (!queueUrl) throw new Error(`stack ${stackName} has no output ${failureQueueOutputKey(queue.name)} (no failure queue "${queue.name}" there)`);
  const functionNames = lazyFunctionNames(stackName, clients.cloudFormation);

  const invoke = async (functionName: string, payload: unknown): Promise<unknown> => {
    const out = await clients.lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(payload)) }));
    const answer = out.Payload && out.Payload.length > 0 ? JSON.parse(new TextDecoder().decode(out.Payload)) : undefined;
    if (out.FunctionError) throw new Error(`${functionName} failed again: ${JSON.stringify(answer)}`);
    return answer;
  };

  const handOver = async (message: Message): Promise<void> => {
    const body = JSON.parse(message.Body ?? 'null') as unknown;
    switch (queue.kind) {
      case 'async':
        await invoke(await functionNames(queue.function), body);
        return;
      case 'delivery': {
        const target = message.MessageAttributes?.TARGET_ARN?.StringValue ?? '';
        if (!/^arn:[\w-]+:lambda:/.test(target)) throw new Error(`target ${target || '(none)'} is not a function: not redriven`);
        await invoke(target, body);
        return;
      }
      case 'forwarding': {
        const targets = RULES.filter((r) => r.target.kind === 'function' && compilePattern(r.pattern).matches(body));
        for (const rule of targets) if (rule.target.kind === 'function') await invoke(await functionNames(rule.target.function), body);
        return;
      }
      case 'stream': {
        const records = await streamRecords(body, queue.function, clients.streams);
        if (records.length === 0) return;
        const answer = (await invoke(await functionNames(queue.function), { Records: records })) as { batchItemFailures?: unknown[] } | undefined;
        if ((answer?.batchItemFailures?.length ?? 0) > 0) throw new Error(`${queue.function} reported ${answer!.batchItemFailures!.length} record(s) it could not take`);
        return;
      }
    }
  };

  let redriven = 0;
  const errors: string[] = [];
  const failed: string[] = [];
  for (;;) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: VISIBILITY_SECONDS, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      try {
        await handOver(message);
        await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        redriven++;
      } catch (error) {
        errors.push(`${message.MessageId}: ${error instanceof Error ? error.message : String(error)}`);
        failed.push(message.ReceiptHandle!);
      }
    }
  }
  // Back as they were: visible at once for the next run (their receive count is one higher).
  for (const handle of failed) await clients.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }));
  return { queue: queue.name, redriven, failedAgain: failed.length, errors };
}

/** Function names by topology name, from the stack's resources (logical id `<Name>Function...`), read once. */
function lazyFunctionNames(stackName: string, cloudFormation: CloudFormationClient) {
  let names: Promise<Map<string, string>> | undefined;
  const load = async () => {
    const found = new Map<string, string>();
    for await (const page of paginateListStackResources({ client: cloudFormation }, { StackName: stackName })) {
      for (const r of page.StackResourceSummaries ?? []) {
        if (r.ResourceType === 'AWS::Lambda::Function' && r.PhysicalResourceId) found.set(r.LogicalResourceId!, r.PhysicalResourceId);
      }
    }
    return found;
  };
  return async (fn: string): Promise<string> => {
    names ??= load();
    const all = await names;
    const prefix = `${pascal(fn)}Function`;
    const match = [...all].find(([logicalId]) => logicalId.startsWith(prefix) && /^[0-9A-F]{8}$/.test(logicalId.slice(prefix.length)));
    if (!match) throw new Error(`stack ${stackName} has no function ${fn}`);
    return match[1];
  };
}

/**
 * The records a stream failure message names (Lambda's DDBStreamBatchInfo), as the event-source
 * mapping gave them: the consumer's filter applied, in order. Past the stream's 24 hours they are
 * gone: for outbox records the outbox sweep publishes them (they stay pending).
 */
async function streamRecords(body: unknown, consumer: string, streams: DynamoDBStreamsClient): Promise<unknown[]> {
  const info = (body as { DDBStreamBatchInfo?: { shardId: string; startSequenceNumber: string; endSequenceNumber: string; streamArn: string } })?.DDBStreamBatchInfo;
  if (!info) throw new Error('not a stream failure message (no DDBStreamBatchInfo)');
  const filter = compilePattern(STREAM_CONSUMERS.find((c) => c.function === consumer)!.filter);
  let iterator: string | undefined;
  try {
    ({ ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: info.streamArn, ShardId: info.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: info.startSequenceNumber }),
    ));
  } catch (error) {
    if ((error as Error).name === 'TrimmedDataAccessException' || (error as Error).name === 'ResourceNotFoundException') {
      throw new Error(`the records left the stream (24 hours)${consumer === 'outboxPublisher' ? ': the outbox sweep publishes those still pending' : ''}`);
    }
    throw error;
  }
  const end = BigInt(info.endSequenceNumber);
  const records: unknown[] = [];
  while (iterator) {
    const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    const page = out.Records ?? [];
    for (const record of page) {
      if (BigInt(record.dynamodb?.SequenceNumber ?? '0') > end) return records;
      if (filter.matches(record)) records.push(asLambdaRecord(record));
    }
    if (page.length === 0) break;
    iterator = out.NextShardIterator;
  }
  return records;
}

/** GetRecords gives dates as Date; the event-source mapping gives epoch seconds. */
function asLambdaRecord(record: _Record): unknown {
  const at = record.dynamodb?.ApproximateCreationDateTime;
  return { ...record, dynamodb: { ...record.dynamodb, ...(at ? { ApproximateCreationDateTime: Math.floor(at.getTime() / 1000) } : {}) } };
}
