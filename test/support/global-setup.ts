import type { TestProject } from 'vitest/node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { buildWeb } from '../../web/build.ts';

// One DynamoDB Local for the suite, started once for the run; each test file creates its own table
// in it. The data-set files of the "alone" project do without it (vitest.config.ts): DynamoDB
// Local keeps every stream record of every table (deleted ones too) for 24 hours, and each write to
// a stream-enabled table slows down with their number (measured: 4 ms a put on a fresh engine,
// 16 ms after 15,000 writes elsewhere), so each of them runs on an engine of its own. The console
// is built here too, once (test/browser drives it; every test runtime serves it).

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    /** The console, built once for the run; every startTestRuntime serves it at /. */
    webDir: string;
  }
}

export default async function setup(project: TestProject) {
  const webDir = await mkdtemp(join(tmpdir(), 'ecrm-console-'));
  const [dynamo] = await Promise.all([startDynamoDbLocal({ port: 0 }), buildWeb({ outdir: webDir })]);
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  project.provide('webDir', webDir);
  return async () => {
    await dynamo.stop();
    await rm(webDir, { recursive: true, force: true });
  };
}
