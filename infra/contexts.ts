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

/**
 * The context of each function that serves routes, spelled out rather than read from FUNCTIONS:
 * http-app names it on every request's metrics line, and FUNCTIONS (every function's entry,
 * description and grants, ~7.5 KB minified) would otherwise be compiled by each API function's
 * cold start for this alone. test/handlers/api-contexts.test.ts holds it to contextOfFunction.
 */
const API_FUNCTION_CONTEXTS: Partial<Readonly<Record<FunctionName, CostContext>>> = {
  customers: 'customers',
  cases: 'cases',
  consent: 'consent',
  campaigns: 'campaigns',
  knowledge: 'knowledge',
  csat: 'surveys',
  sales: 'sales',
  analytics: 'analytics',
  docs: 'platform',
};

/** The context of a function that serves routes; one missing above fails its cold start (and its tests). */
export function contextOfApiFunction(name: FunctionName): CostContext {
  const context = API_FUNCTION_CONTEXTS[name];
  if (!context) throw new Error(`No context for the API function ${name}: add it to API_FUNCTION_CONTEXTS (infra/contexts.ts).`);
  return context;
}
