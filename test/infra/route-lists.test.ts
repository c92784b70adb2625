import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYTICS_FUNCTION_ROUTES } from '#infra/route-lists/analytics.route-list.ts';
import { CAMPAIGN_ROUTES } from '#infra/route-lists/campaigns.route-list.ts';
import { CASE_ROUTES } from '#infra/route-lists/cases.route-list.ts';
import { CONSENT_ROUTES } from '#infra/route-lists/consent.route-list.ts';
import { SURVEY_ROUTES } from '#infra/route-lists/csat.route-list.ts';
import { CUSTOMER_ROUTES } from '#infra/route-lists/customers.route-list.ts';
import { DOCS_ROUTES } from '#infra/route-lists/docs.route-list.ts';
import { KNOWLEDGE_ROUTES } from '#infra/route-lists/knowledge.route-list.ts';
import { SALES_ROUTES } from '#infra/route-lists/sales.route-list.ts';
import { FUNCTIONS, type RouteSpec, ROUTE_TABLE } from '#infra/routes.ts';
import { coldStartInputs } from '../../bench/bundle.ts';
import { bundleLambda, type LambdaBundle } from '../support/lambda-bundle.ts';

// Each API function bundles its own route list (infra/route-lists/<function>.route-list.ts), and
// the topology reads ROUTE_TABLE: the lists must be the table, split by function, nothing more or
// less. And no cold start may load another function's list or infra/routes.ts (FUNCTIONS, the
// table): the docs function, whose lazy OpenAPI chunk reads the whole table, is where that broke.

/** Each API function's whole list, as its composition imports it. */
const LISTS: Record<string, readonly RouteSpec[]> = {
  customers: CUSTOMER_ROUTES,
  cases: CASE_ROUTES,
  consent: CONSENT_ROUTES,
  campaigns: CAMPAIGN_ROUTES,
  knowledge: KNOWLEDGE_ROUTES,
  csat: SURVEY_ROUTES,
  sales: SALES_ROUTES,
  analytics: ANALYTICS_FUNCTION_ROUTES,
  docs: DOCS_ROUTES,
};

describe('the route lists', () => {
  it('are one module per function that serves routes, named after it', () => {
    const modules = readdirSync(join(import.meta.dirname, '../../infra/route-lists')).map((file) => file.replace(/\.route-list\.ts$/, ''));
    expect(modules.sort()).toEqual(Object.keys(LISTS).sort());
    expect([...new Set(ROUTE_TABLE.map((route) => route.function))].sort()).toEqual(Object.keys(LISTS).sort());
    for (const name of Object.keys(LISTS)) expect(FUNCTIONS, name).toHaveProperty(name);
  });

  it("hold only their function's routes", () => {
    for (const [name, list] of Object.entries(LISTS)) expect(list.filter((route) => route.function !== name).map((route) => route.operationId), name).toEqual([]);
  });

  it("are the table: each function's routes in the table are its list, in order", () => {
    for (const [name, list] of Object.entries(LISTS)) {
      expect(
        ROUTE_TABLE.filter((route) => route.function === name),
        name,
      ).toEqual(list);
    }
    expect(ROUTE_TABLE).toHaveLength(Object.values(LISTS).reduce((sum, list) => sum + list.length, 0));
  });
});

let workDir: string;
let docs: LambdaBundle;
beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'crm-route-lists-'));
  docs = await bundleLambda(FUNCTIONS.docs.entry, workDir);
}, 120_000);
afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the docs function as shipped', () => {
  it('compiles at cold start its own route list alone, and the whole table only in the OpenAPI chunk', () => {
    const eager = coldStartInputs(docs.metafile);
    expect(eager.filter((input) => input.startsWith('infra/route-lists/'))).toEqual(['infra/route-lists/docs.route-list.ts']);
    expect(eager.filter((input) => /^infra\/(routes|topology)\.ts$/.test(input))).toEqual([]);
  });
});
