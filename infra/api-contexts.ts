import type { CostContext } from './contexts.ts';
import type { FunctionName } from './routes.ts';

/**
 * The context of each function that serves routes, spelled out rather than read from FUNCTIONS:
 * http-app names it on every request's metrics line, and FUNCTIONS (every function's entry,
 * description and grants, ~7.5 KB minified) would otherwise be compiled by each API function's
 * cold start for this alone. test/handlers/api-contexts.test.ts holds it to contextOfFunction.
 *
 * Its own module, not infra/contexts.ts (which reads FUNCTIONS from infra/routes.ts): were a cold-start
 * module to import infra/routes.ts at all, esbuild would put that module in a chunk the cold start
 * loads, whole, as soon as one of the function's lazy chunks reads it too (the docs function's
 * OpenAPI document reads the route table).
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
  if (!context) throw new Error(`No context for the API function ${name}: add it to API_FUNCTION_CONTEXTS (infra/api-contexts.ts).`);
  return context;
}
