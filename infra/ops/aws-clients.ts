import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { FailureQueue } from '../failure-queues.ts';
import { redriveAws } from './aws-redrive.ts';

/** The redrive with real clients (credentials and region from the environment, or --region). */
export async function redriveOnAws(queue: FailureQueue, stackName: string, region?: string) {
  const config = region ? { region } : {};
  const clients = { cloudFormation: new CloudFormationClient(config), sqs: new SQSClient(config), lambda: new LambdaClient(config), streams: new DynamoDBStreamsClient(config) };
  try {
    return await redriveAws(queue, stackName, clients);
  } finally {
    Object.values(clients).forEach((c) => c.destroy());
  }
}
