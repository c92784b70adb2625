import { describe, expect, it } from 'vitest';
import { contextOfApiFunction } from '#infra/api-contexts.ts';
import { contextOfFunction } from '#infra/contexts.ts';
import { ROUTE_TABLE } from '#infra/routes.ts';

// http-app reads an API function's context from a short list instead of FUNCTIONS (kept off the
// cold path): the list must say what the function's entry folder says.

describe('contextOfApiFunction', () => {
  it('names, for every function that serves routes, the context of its entry', () => {
    const apiFunctions = [...new Set(ROUTE_TABLE.map((route) => route.function))];
    expect(apiFunctions.length).toBeGreaterThan(0);
    for (const name of apiFunctions) expect(contextOfApiFunction(name), name).toBe(contextOfFunction(name));
  });

  it('refuses a function that serves no routes', () => {
    expect(() => contextOfApiFunction('outboxSweeper')).toThrow('No context for the API function outboxSweeper');
  });
});
