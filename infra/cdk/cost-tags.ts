import { Tags } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

// Cost-allocation tags: every taggable resource carries `ecrm:stack` (the stack's name) and
// `ecrm:context` (the bounded context it serves), so that once a company activates the two keys
// as cost-allocation tags, Cost Explorer splits the bill by deployment and by context. What all
// contexts share (the table, the bus, the API, sign-in, email sending, the outbox publisher, the
// API document) is `platform`.

export const COST_TAG_STACK = 'ecrm:stack';
export const COST_TAG_CONTEXT = 'ecrm:context';

export const CONTEXTS = ['platform', 'customers', 'cases', 'consent', 'campaigns', 'knowledge', 'surveys', 'sales', 'analytics'] as const;
export type CostContext = (typeof CONTEXTS)[number];

/** The folder under functions/ of a function's entry, as a context: the warehouse export is analytics' part, docs and outbox are the platform's. */
const CONTEXT_OF_FOLDER: Readonly<Record<string, CostContext>> = {
  customers: 'customers',
  cases: 'cases',
  consent: 'consent',
  campaigns: 'campaigns',
  knowledge: 'knowledge',
  surveys: 'surveys',
  sales: 'sales',
  analytics: 'analytics',
  warehouse: 'analytics',
  outbox: 'platform',
  docs: 'platform',
};

/** The context of a function from its entry (`functions/<folder>/...`); an unknown folder fails the synth, so a new one must be named here. */
export function contextOfEntry(entry: string): CostContext {
  const folder = /^functions\/([^/]+)\//.exec(entry)?.[1];
  const context = folder === undefined ? undefined : CONTEXT_OF_FOLDER[folder];
  if (!context) throw new Error(`No cost-allocation context for the function entry ${entry}: add its folder to CONTEXT_OF_FOLDER (infra/cdk/cost-tags.ts).`);
  return context;
}

/** The stack-wide pair; resources of one context are tagged again, more specifically, by tagContext. */
export function tagStack(stack: IConstruct, stackName: string): void {
  Tags.of(stack).add(COST_TAG_STACK, stackName);
  Tags.of(stack).add(COST_TAG_CONTEXT, 'platform');
}

/** Tags a construct's resources as one context's (a higher priority than the stack's `platform`). */
export function tagContext(scope: IConstruct, context: CostContext): void {
  Tags.of(scope).add(COST_TAG_CONTEXT, context, { priority: 200 });
}
