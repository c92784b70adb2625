import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';

// One DynamoDB Local for the suite, started once for the run; each test file creates its own table
// in it. The data-set files of the "alone" project do without it (vitest.config.ts): DynamoDB
// Local keeps every stream record of every table (deleted ones too) for 24 hours, and each write to
// a stream-enabled table slows down with their number (measured: 4 ms a put on a fresh engine,
// 16 ms after 15,000 writes elsewhere), so each of them runs on an engine of its own.

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal({ port: 0 });
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
