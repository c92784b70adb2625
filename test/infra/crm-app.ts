import { CfnResource, Stack } from 'aws-cdk-lib';
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
  readonly template: Template;
  /** Logical id => resource, for every resource of the given type. */
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

export function synthCrm(options: Omit<BuildAppOptions, 'bundling' | 'nag'> = {}): Synth {
  const { stack } = buildApp({ ...options, bundling: false, nag: false });
  const template = Template.fromStack(stack);
  const json = template.toJSON() as { Resources: Record<string, CfnResourceJson> };
  const resources = (type: string) =>
    Object.fromEntries(Object.entries(json.Resources).filter(([, r]) => r.Type === type));
  const crmFunction = (name: FunctionName) => {
    const fn = stack.functions.get(name);
    if (!fn) throw new Error(`no function ${name} in the stack`);
    return fn;
  };
  return {
    stack,
    template,
    resources,
    functionId: (name) => logicalId(crmFunction(name).function),
    roleId: (name) => logicalId(crmFunction(name).role),
    statementsOfRole: (roleId) =>
      Object.values(resources('AWS::IAM::Policy'))
        .filter((p) => (p.Properties?.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })))
        .flatMap((p) => p.Properties?.PolicyDocument.Statement as Statement[]),
  };
}

/** The logical id CloudFormation knows an L2 construct's main resource by. */
export function logicalId(construct: IConstruct): string {
  const resource = construct.node.defaultChild;
  if (!CfnResource.isCfnResource(resource)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(resource);
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
