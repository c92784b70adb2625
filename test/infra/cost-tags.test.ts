import { describe, expect, it } from 'vitest';
import { CONTEXTS, COST_TAG_CONTEXT, COST_TAG_STACK, contextOfEntry } from '#infra/cdk/cost-tags.ts';
import { FUNCTIONS, type FunctionName } from '#infra/topology.ts';
import { type CfnResourceJson, logicalId, synthCrm } from './crm-app.ts';

// Cost-allocation tags (issue 14): every taggable resource, in the parent stack and the nested
// ones, carries ecrm:stack and ecrm:context, and each function (with its role, logs and failure
// queue) is its own bounded context's.

const crm = synthCrm();

/** Tags as CloudFormation spells them: a list of {Key, Value} for most types, a map for a few (Cognito, HTTP API). */
function tagsOf(resource: CfnResourceJson): Record<string, unknown> | undefined {
  const p = resource.Properties ?? {};
  const raw = p.Tags ?? p.UserPoolTags;
  if (raw === undefined) return undefined;
  return Array.isArray(raw) ? Object.fromEntries(raw.map((t: { Key: string; Value: unknown }) => [t.Key, t.Value])) : (raw as Record<string, unknown>);
}

// Types whose CloudFormation resource takes tags: each must have them.
const TAGGABLE = [
  'AWS::Lambda::Function',
  'AWS::IAM::Role',
  'AWS::Logs::LogGroup',
  'AWS::SQS::Queue',
  'AWS::DynamoDB::Table',
  'AWS::Events::EventBus',
  'AWS::Cognito::UserPool',
  'AWS::S3::Bucket',
  'AWS::Athena::WorkGroup',
  'AWS::CloudFormation::Stack',
];

describe('cost-allocation tags', () => {
  it('puts ecrm:stack and a known ecrm:context on every taggable resource of every stack', () => {
    let checked = 0;
    for (const type of TAGGABLE) {
      for (const [id, resource] of Object.entries(crm.resources(type))) {
        const tags = tagsOf(resource);
        expect(tags, `${type} ${id} has no tags`).toBeDefined();
        expect(tags![COST_TAG_STACK], `${type} ${id}`).toBe('Crm');
        expect(CONTEXTS, `${type} ${id}: ${String(tags![COST_TAG_CONTEXT])}`).toContain(tags![COST_TAG_CONTEXT]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("tags each function, its role and its failure queue with the function's own context", () => {
    const names = Object.keys(FUNCTIONS) as FunctionName[];
    const contexts = new Set<string>();
    for (const name of names) {
      const context = contextOfEntry(FUNCTIONS[name].entry);
      contexts.add(context);
      const fn = crm.resources('AWS::Lambda::Function')[crm.functionId(name)]!;
      expect(tagsOf(fn)![COST_TAG_CONTEXT], name).toBe(context);
      expect(tagsOf(crm.resources('AWS::IAM::Role')[crm.roleId(name)]!)![COST_TAG_CONTEXT], name).toBe(context);
      const dlq = fn.Properties!.DeadLetterConfig.TargetArn['Fn::GetAtt'][0] as string;
      expect(tagsOf(crm.resources('AWS::SQS::Queue')[dlq]!)![COST_TAG_CONTEXT], name).toBe(context);
    }
    expect([...contexts].sort()).toEqual([...CONTEXTS].sort());
    // What every context shares is the platform's.
    for (const resource of Object.values(crm.resources('AWS::DynamoDB::Table'))) expect(tagsOf(resource)![COST_TAG_CONTEXT]).toBe('platform');
    // The warehouse bucket is analytics'; the console's bucket serves every context's screens.
    const buckets = crm.resources('AWS::S3::Bucket');
    expect(Object.keys(buckets).sort()).toEqual([logicalId(crm.stack.analytics!.bucket), logicalId(crm.stack.console!.bucket)].sort());
    expect(tagsOf(buckets[logicalId(crm.stack.analytics!.bucket)]!)![COST_TAG_CONTEXT]).toBe('analytics');
    expect(tagsOf(buckets[logicalId(crm.stack.console!.bucket)]!)![COST_TAG_CONTEXT]).toBe('platform');
  });

  it('refuses a function folder it has no context for, at synth', () => {
    expect(contextOfEntry('functions/warehouse/warehouse-export.lambda.ts')).toBe('analytics');
    expect(() => contextOfEntry('functions/billing/invoice.lambda.ts')).toThrow(/CONTEXT_OF_FOLDER/);
  });
});
