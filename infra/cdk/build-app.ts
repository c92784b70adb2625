import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { tagStack } from './cost-tags.ts';
import { CrmStack, type Topology } from './crm.stack.ts';

export const STACK_NAME = 'Crm';
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BuildAppOptions {
  /** Extra CDK context (e.g. `corsOrigins`); the CLI's context is read as usual. */
  readonly context?: Record<string, unknown>;
  /** false: skip esbuild (template tests); the functions get placeholder code. Default true. */
  readonly bundling?: boolean;
  /** Register the cdk-nag rule packs (they run when the app is synthesized). Default true. */
  readonly nag?: boolean;
  readonly topology?: Topology;
  readonly outdir?: string;
}

export function buildApp(options: BuildAppOptions = {}): { app: App; stack: CrmStack } {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      ...options.context,
      // An empty list of stacks to bundle means NodejsFunction bundles nothing.
      ...(options.bundling === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
    },
  });
  const stack = new CrmStack(app, STACK_NAME, {
    description: 'Serverless eCRM: HTTP API, Cognito, DynamoDB single table, EventBridge',
    projectRoot: PROJECT_ROOT,
    ...(options.topology ? { topology: options.topology } : {}),
  });
  Tags.of(stack).add('application', 'serverless-ecrm');
  tagStack(stack, stack.stackName);
  if (options.nag !== false) {
    // cdk-nag 3 runs as a policy-validation plugin: `cdk synth` fails on any unacknowledged error.
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
  }
  return { app, stack };
}
