import { CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { type BuildAppOptions, buildApp } from '#infra/cdk/build-app.ts';
import type { CrmStack } from '#infra/cdk/crm.stack.ts';
import type { FunctionName } from '#infra/topology.ts';

// Template-test helpers: the app as `cdk synth` builds it, minus esbuild (bundling off) and,
// unless asked for, minus the cdk-nag plugins (test/infra/cdk-nag.test.ts runs those).

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface Synth {
  readonly stack: CrmStack;
  /** The parent stack's template. */
  readonly template: Template;
  /** Each nested stack's own template (the API routes live in one), by its construct path. */
  readonly nestedTemplates: ReadonlyMap<string, Template>;
  /**
   * Logical id => resource, for every resource of the given type, in the parent stack and in its
   * nested stacks. A nested stack's parameters are replaced by what the parent passes in, so a
   * nested resource refers to parent resources exactly as it would if it lived in the parent.
   */
  readonly resources: (type: string) => Record<string, CfnResourceJson>;
  /** Logical id of the topology function's AWS::Lambda::Function. */
  readonly functionId: (name: FunctionName) => string;
  /** Logical id of the topology function's execution role. */
  readonly roleId: (name: FunctionName) => string;
  /** Every statement of every AWS::IAM::Policy attached to the given role. */
  readonly statementsOfRole: (roleId: string) => Statement[];
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

type SynthOptions = Omit<BuildAppOptions, 'bundling' | 'nag'>;

/**
 * One synth per configuration in a worker: the same options (the same topology object and equal
 * context) give the same Synth, so tests that read the default stack share one, across the files a
 * worker runs too (the infra files run without isolation, vitest.config.ts). Nothing here changes a
 * synthesized stack (a test that adds constructs builds its own app with buildApp).
 */
const synths = new Map<string, Synth>();
const topologyIds = new Map<unknown, number>();

export function synthCrm(options: SynthOptions = {}): Synth {
  if (options.topology && !topologyIds.has(options.topology)) topologyIds.set(options.topology, topologyIds.size);
  const key = JSON.stringify({ ...options, topology: options.topology ? topologyIds.get(options.topology) : undefined });
  let synth = synths.get(key);
  if (!synth) {
    synth = synthesize(options);
    synths.set(key, synth);
  }
  return synth;
}

function synthesize(options: SynthOptions): Synth {
  const { stack } = buildApp({ ...options, bundling: false, nag: false });
  const template = Template.fromStack(stack);
  const json = template.toJSON() as { Resources: Record<string, CfnResourceJson> };
  const nestedTemplates = new Map<string, Template>();
  const all: Record<string, CfnResourceJson> = { ...json.Resources };
  for (const nested of stack.node.findAll().filter(NestedStack.isNestedStack)) {
    const nestedTemplate = Template.fromStack(nested);
    nestedTemplates.set(nested.node.path, nestedTemplate);
    const passed = json.Resources[logicalIdOf(nested.nestedStackResource!)]?.Properties?.Parameters ?? {};
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (value === null || typeof value !== 'object') return value;
      const entries = Object.entries(value);
      if (entries.length === 1 && entries[0]![0] === 'Ref' && typeof entries[0]![1] === 'string' && entries[0]![1] in passed) return passed[entries[0]![1]];
      return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]));
    };
    const nestedResources = (nestedTemplate.toJSON() as { Resources: Record<string, CfnResourceJson> }).Resources;
    // Logical ids carry a hash of their construct path, so nested ones never meet the parent's.
    for (const [id, resource] of Object.entries(nestedResources)) {
      if (id in all) throw new Error(`logical id ${id} is in both ${nested.node.path} and another stack`);
      all[id] = resolve(resource) as CfnResourceJson;
    }
  }
  const resources = (type: string) => Object.fromEntries(Object.entries(all).filter(([, r]) => r.Type === type));
  const crmFunction = (name: FunctionName) => {
    const fn = stack.functions.get(name);
    if (!fn) throw new Error(`no function ${name} in the stack`);
    return fn;
  };
  return {
    stack,
    template,
    nestedTemplates,
    resources,
    functionId: (name) => logicalId(crmFunction(name).function),
    roleId: (name) => logicalId(crmFunction(name).role),
    statementsOfRole: (roleId) =>
      Object.values(resources('AWS::IAM::Policy'))
        .filter((p) => (p.Properties?.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })))
        .flatMap((p) => p.Properties?.PolicyDocument.Statement as Statement[]),
  };
}

const logicalIdOf = (resource: CfnResource) => Stack.of(resource).getLogicalId(resource);

/** The logical id CloudFormation knows an L2 construct's main resource by. */
export function logicalId(construct: IConstruct): string {
  const resource = construct.node.defaultChild;
  if (!CfnResource.isCfnResource(resource)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(resource);
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
