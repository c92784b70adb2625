import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { NestedStack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { CustomerCreated } from '#events/customer-created.event.ts';
import { buildApp, guardValidator } from '#infra/cdk/build-app.ts';
import { GUARD_ACKNOWLEDGEMENTS, GUARD_NAMESPACE } from '#infra/cdk/guard-acknowledgements.ts';
import { TOPOLOGY } from '#infra/cdk/crm.stack.ts';
import type { FunctionDef, FunctionName } from '#infra/topology.ts';

// cdk-nag 3 is a policy-validation plugin: `cdk synth` fails on an unacknowledged error. Here the
// packs also run directly, so warnings (which do not fail a synth) must be absent too.

const packs = () => [new AwsSolutionsChecks(undefined, { verbose: true }), new ServerlessChecks(undefined, { verbose: true })];

function findings(scope: IConstruct) {
  return packs().flatMap((pack) =>
    pack.validateScope(scope).violations.map((v) => ({
      rule: v.ruleName,
      severity: v.severity,
      at: v.violatingResources.map((r) => r.constructPath),
    })),
  );
}

describe('cdk-nag AwsSolutions and Serverless packs, and the Control Tower proactive controls (cfn-guard)', () => {
  // As `cdk synth` builds it (packs registered), minus esbuild.
  const crm = buildApp({ bundling: false });

  it('find no unacknowledged error or warning in the stack', () => {
    expect(findings(crm.stack)).toEqual([]);
  });

  it('find none either when the topology adds a function rule and a schedule', () => {
    const { stack } = buildApp({
      bundling: false,
      nag: false,
      topology: {
        ...TOPOLOGY,
        rules: [...TOPOLOGY.rules, { name: 'r', description: 'r', pattern: CustomerCreated.pattern, target: { kind: 'function', function: 'docs' } }],
        schedules: [{ name: 's', description: 's', everyMinutes: 15, function: 'docs' }],
      },
    });
    expect(findings(stack)).toEqual([]);
  });

  it.each([
    ['an address identity', {}],
    ['a domain identity', { emailDomain: 'mail.example.org' }],
  ])('find none either when a function sends email through %s', (_, context) => {
    const mailer: FunctionDef = { entry: 'functions/docs/docs.lambda.ts', description: 'mailer', access: { table: 'readWrite', email: true } };
    const { stack } = buildApp({
      bundling: false,
      nag: false,
      context,
      topology: { ...TOPOLOGY, functions: { ...TOPOLOGY.functions, ['mailer' as FunctionName]: mailer } },
    });
    expect(stack.email).toBeDefined();
    expect(findings(stack)).toEqual([]);
  });

  it('find none either with the opt-in table backup, email tracking and the console on its own domain', () => {
    const { stack } = buildApp({
      bundling: false,
      nag: false,
      context: { backup: 'daily', emailTracking: 'true', consoleDomainName: 'crm.example.com', consoleCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-000000000001' },
    });
    expect(findings(stack)).toEqual([]);
  });

  // The next three are whole synths with the Control Tower controls (parent and nested stacks):
  // 45-60 s each on a quiet 2-core machine, the cfn-guard binary most of it, and several times that
  // under a parallel test run. So each has a test (and a time budget) of its own, and no two
  // synths check what one can.
  it('are registered by the app, whose synth passes them', () => {
    expect(() => crm.app.synth()).not.toThrow();
  }, 240_000);

  it('the Control Tower controls find nothing unacknowledged, with the opt-ins on too', () => {
    // The guard binary reads synthesized templates: a synth with only the guard plugin, acknowledgements applied by the app.
    // The opt-in monitoring is a nested stack: its template is read too (guardValidator adds nested templates).
    const { app, stack } = buildApp({
      bundling: false,
      nag: false,
      context: { backup: 'daily', emailTracking: 'true', emailDomain: 'mail.example.org', alarmEmail: 'ops@example.com' },
    });
    expect(stack.monitoring).toBeDefined();
    Validations.of(app).addPlugins(guardValidator());
    expect(() => app.synth()).not.toThrow();
  }, 240_000);

  it('fail its synth on a finding, each plugin naming its rule and the construct, in the parent and the nested stacks', () => {
    // One synth with everything the app registers, so both kinds of finding are in one report: an
    // unencrypted queue (cdk-nag's AwsSolutions-SQS4), and queues that are no dead-letter queue and
    // have none (the Control Tower control sqs_dlq_check), one of them in the API's nested stack:
    // CDK hands a plugin only the stacks' own templates, and guardValidator adds the nested ones.
    const broken = buildApp({ bundling: false });
    new sqs.Queue(broken.stack, 'Unencrypted', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    new sqs.Queue(broken.stack, 'NoDeadLetters', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
    const routes = broken.stack.node.findAll().find((c): c is NestedStack => NestedStack.isNestedStack(c) && c.node.id === 'Routes');
    new sqs.Queue(routes!, 'NestedNoDeadLetters', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
    expect(() => broken.app.synth()).toThrow(/AwsSolutions-SQS4/);

    // The report the synth wrote beside the templates, per plugin.
    const report = JSON.parse(readFileSync(path.join(broken.app.outdir, VALIDATION_REPORT_FILE), 'utf8')) as {
      pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
    };
    const flagged = (plugin: string, rule: string) =>
      report.pluginReports
        .filter((r) => r.pluginName === plugin)
        .flatMap((r) => r.violations)
        .filter((v) => v.ruleName.includes(rule))
        .flatMap((v) => v.violatingConstructs.map((c) => c.constructPath));
    expect(flagged(guardValidator().name, 'sqs_dlq_check')).toEqual(expect.arrayContaining(['Crm/NoDeadLetters/Resource', 'Crm/Api/Routes/NestedNoDeadLetters/Resource']));
    expect(flagged(new AwsSolutionsChecks().name, 'AwsSolutions-SQS4')).toContain('Crm/Unencrypted/Resource');
    // `cdk synth` runs them all: the app registers the Control Tower controls next to the cdk-nag packs (crm is built as the CLI builds it).
    expect(crm.app._validationPlugins.map((p) => p.name)).toEqual(expect.arrayContaining([guardValidator().name, ...packs().map((p) => p.name)]));
  }, 240_000);

  it('every guard acknowledgement names a rule the plugin has, and each is used', () => {
    const rulesDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard')), '..', 'rules');
    const ruleText = readdirSync(rulesDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.guard'))
      .map((f) => readFileSync(path.join(rulesDir, f), 'utf8'))
      .join('\n');
    for (const { rule } of GUARD_ACKNOWLEDGEMENTS) expect(ruleText, rule).toContain(`rule ${rule} when`);
    const acknowledged = new Set(
      crm.app.node
        .findAll()
        .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
        .flatMap((m) => Object.keys(m.data as Record<string, string>)),
    );
    for (const { rule } of GUARD_ACKNOWLEDGEMENTS) expect(acknowledged.has(`${GUARD_NAMESPACE}::${rule}`), rule).toBe(true);
  });

  it('every acknowledgement carries a specific reason', () => {
    const acknowledgements = crm.app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgements) {
      expect(id).toMatch(/(AwsSolutions|Serverless)-|^cdk-validator-cfnguard::/);
      expect(reason.length, `${id}: ${reason}`).toBeGreaterThan(60);
    }
  });
});
