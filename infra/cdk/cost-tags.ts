import { Tags } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { CostContext } from '../contexts.ts';

// Cost-allocation tags: every taggable resource carries `ecrm:stack` (the stack's name) and
// `ecrm:context` (the bounded context it serves), so that once a company activates the two keys
// as cost-allocation tags, Cost Explorer splits the bill by deployment and by context. What all
// contexts share (the table, the bus, the API, sign-in, email sending, the outbox publisher, the
// API document) is `platform`.

export const COST_TAG_STACK = 'ecrm:stack';
export const COST_TAG_CONTEXT = 'ecrm:context';

// The contexts and the context of a function live in infra/contexts.ts (the functions' metrics name them too).
export { CONTEXTS, type CostContext, contextOfEntry } from '../contexts.ts';

/** The stack-wide pair; resources of one context are tagged again, more specifically, by tagContext. */
export function tagStack(stack: IConstruct, stackName: string): void {
  Tags.of(stack).add(COST_TAG_STACK, stackName);
  Tags.of(stack).add(COST_TAG_CONTEXT, 'platform');
}

/** Tags a construct's resources as one context's (a higher priority than the stack's `platform`). */
export function tagContext(scope: IConstruct, context: CostContext): void {
  Tags.of(scope).add(COST_TAG_CONTEXT, context, { priority: 200 });
}
