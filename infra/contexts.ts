import { FUNCTIONS, type FunctionName } from './routes.ts';

// The bounded contexts, and which one each function serves: the cost-allocation tag `ecrm:context`
// (infra/cdk/cost-tags.ts) and the `context` dimension of the functions' metrics both say it.
// What all contexts share (the outbox publisher, the API document) is `platform`.

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
  if (!context) throw new Error(`No cost-allocation context for the function entry ${entry}: add its folder to CONTEXT_OF_FOLDER (infra/contexts.ts).`);
  return context;
}

/** The context of a function of the topology (its metrics' `context` dimension). */
export function contextOfFunction(name: FunctionName): CostContext {
  return contextOfEntry(FUNCTIONS[name].entry);
}

