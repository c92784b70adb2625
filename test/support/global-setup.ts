import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';

// One DynamoDB Local for the whole run; each test file creates its own table in it. Every project
// of vitest.config.ts runs this setup, so the engine is kept on globalThis (the main process is
// one) and stopped when the last project's teardown runs.

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

interface Shared {
  engine: ReturnType<typeof startDynamoDbLocal>;
  users: number;
}
const holder = globalThis as { __crmDynamoDbLocal?: Shared };

export default async function setup(project: TestProject) {
  const shared = (holder.__crmDynamoDbLocal ??= { engine: startDynamoDbLocal({ port: 0 }), users: 0 });
  shared.users++;
  const dynamo = await shared.engine;
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  return async () => {
    if (--shared.users > 0) return;
    delete holder.__crmDynamoDbLocal;
    await dynamo.stop();
  };
}
