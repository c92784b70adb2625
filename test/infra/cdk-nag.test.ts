import { Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { CustomerCreated } from '#events/customer-created.event.ts';
import { buildApp } from '#infra/cdk/build-app.ts';
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

describe('cdk-nag AwsSolutions and Serverless packs', () => {
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

  it('find none either with the opt-in table backup and email tracking', () => {
    const { stack } = buildApp({ bundling: false, nag: false, context: { backup: 'daily', emailTracking: 'true' } });
    expect(findings(stack)).toEqual([]);
  });

  it('are registered by the app and fail its synth on a violation', () => {
    expect(() => crm.app.synth()).not.toThrow();

    const broken = buildApp({ bundling: false });
    new sqs.Queue(broken.stack, 'Unencrypted', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => broken.app.synth()).toThrow(/AwsSolutions-SQS4/);
    // Two whole synths with both packs (parent and nested stacks): about 15 s alone, several times
    // that on a shared machine under a parallel test run.
  }, 240_000);

  it('every acknowledgement carries a specific reason', () => {
    const acknowledgements = crm.app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgements) {
      expect(id).toMatch(/(AwsSolutions|Serverless)-/);
      expect(reason.length, `${id}: ${reason}`).toBeGreaterThan(60);
    }
  });
});
