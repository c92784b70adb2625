import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type IPolicyValidationContextBeta1, type IPolicyValidationPluginBeta1, NestedStack, Tags, Validations } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { tagStack } from './cost-tags.ts';
import { CrmStack, type Topology } from './crm.stack.ts';
import { acknowledgeGuardFindings } from './guard-acknowledgements.ts';

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

/**
 * cdk.json's context (the feature flags): the CLI passes it to `cdk synth`; an app built in a test
 * or a script reads it here, so both synthesize the same template.
 */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context;

export function buildApp(options: BuildAppOptions = {}): { app: App; stack: CrmStack } {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    // Defaults: the CLI's own context (which holds cdk.json's) and `postCliContext` win over these.
    context: {
      ...CDK_JSON_CONTEXT,
      ...options.context,
      // An empty list of stacks to bundle means no asset is bundled (CrmFunction's esbuild does not run).
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
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }), guardValidator());
  }
  acknowledgeGuardFindings(stack);
  return { app, stack };
}

/**
 * The AWS Control Tower proactive controls, run by the cfn-guard binary the package ships (no
 * download, no install script). Findings are fixed or acknowledged in guard-acknowledgements.ts.
 */
export function guardValidator(): IPolicyValidationPluginBeta1 {
  // The parent template is larger than Node's default 1 MB output buffer once guard reports on it.
  const guard = new CfnGuardValidator({ maxBuffer: 64 * 1024 * 1024 });
  return {
    name: guard.name,
    ...(guard.version ? { version: guard.version } : {}),
    ...(guard.ruleIds ? { ruleIds: guard.ruleIds } : {}),
    validate(context) {
      const report = guard.validate({ ...context, templatePaths: withNestedTemplates(context) });
      // The plugin reports no severity. Once some of its findings are acknowledged, CDK recomputes
      // the report's success from the severities left, and an unknown one counts as passing: every
      // unacknowledged control would then pass. Each is an error, as it is for Control Tower.
      return { ...report, violations: report.violations.map((v) => ({ ...v, severity: v.severity ?? 'error' })) };
    },
  };
}

/**
 * The templates to check: CDK hands a validation plugin each stack's template but not those of its
 * nested stacks, which it writes beside it (the API's routes, integrations and invoke permissions;
 * the opt-in monitoring), so without them the controls would never read those resources. A
 * finding in a nested template is matched to its construct, and so to its acknowledgement, by the
 * nested stack's template file name, as a parent's is.
 */
function withNestedTemplates(context: IPolicyValidationContextBeta1): string[] {
  const dirs = [...new Set(context.templatePaths.map((template) => path.dirname(template)))];
  const nested = context.appConstruct.node
    .findAll()
    .filter((construct): construct is NestedStack => NestedStack.isNestedStack(construct))
    .map((stack) => {
      const found = dirs.map((dir) => path.join(dir, stack.templateFile)).find((file) => fs.existsSync(file));
      if (!found) throw new Error(`the template of nested stack ${stack.node.path} (${stack.templateFile}) is not beside ${context.templatePaths.join(', ')}`);
      return found;
    });
  return [...context.templatePaths, ...nested];
}
