import { describe, expect, it } from 'vitest';
import type { RouteSpec } from '#infra/routes.ts';
import { bindRoutes } from '../../functions/shared/bind-routes.ts';
import type { HttpRequest } from '../../functions/shared/http-app.ts';

const request = (path: string) => ({ route: { method: 'GET', path } as RouteSpec }) as HttpRequest;

describe('bindRoutes', () => {
  it('calls each handler with the app it was bound to, whatever deps the router passes', async () => {
    const app = { greeting: 'hello' };
    const routes = bindRoutes(app, {
      'GET /a': async (r, { greeting }) => ({ statusCode: 200, body: `${greeting} ${r.route.path}` }),
      'GET /b': async (_r, { greeting }) => ({ statusCode: 201, body: greeting.toUpperCase() }),
    });
    expect(Object.keys(routes)).toEqual(['GET /a', 'GET /b']);
    expect(await routes['GET /a']!(request('/a'), { greeting: 'ignored' })).toEqual({ statusCode: 200, body: 'hello /a' });
    expect(await routes['GET /b']!(request('/b'), undefined)).toEqual({ statusCode: 201, body: 'HELLO' });
  });
});
