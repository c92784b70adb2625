import type { TestProject } from 'vitest/node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { buildWeb } from '../../web/build.ts';

// One DynamoDB Local for the suite, started once for the run (for both of its projects); each test file creates its own table
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

interface SuiteServices {
  readonly dynamodbEndpoint: string;
  readonly webDir: string;
  stop(): Promise<void>;
}

// The suite's two projects (vitest.config.ts: "suite" and "suite-shared") run in one vitest process,
// and vitest runs a project's global setup per project: they share one engine and one build, stopped
// when the last of them tears down.
const processWide = globalThis as typeof globalThis & { ecrmSuiteServices?: { services: Promise<SuiteServices>; users: number } };

async function startServices(): Promise<SuiteServices> {
  const webDir = await mkdtemp(join(tmpdir(), 'ecrm-console-'));
  const [dynamo] = await Promise.all([startDynamoDbLocal({ port: 0 }), buildWeb({ outdir: webDir })]);
  return {
    dynamodbEndpoint: dynamo.endpoint,
    webDir,
    async stop() {
      await dynamo.stop();
      await rm(webDir, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject) {
  const shared = (processWide.ecrmSuiteServices ??= { services: startServices(), users: 0 });
  shared.users++;
  const services = await shared.services;
  project.provide('dynamodbEndpoint', services.dynamodbEndpoint);
  project.provide('webDir', services.webDir);
  return async () => {
    if (--shared.users > 0) return;
    processWide.ecrmSuiteServices = undefined;
    await services.stop();
  };
}
