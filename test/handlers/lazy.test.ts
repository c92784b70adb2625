import { describe, expect, it } from 'vitest';
import type { RouteSpec } from '#infra/routes.ts';
import type { HttpRequest } from '../../functions/shared/http-app.ts';
import { lazyPort, lazyRoutes, once } from '../../functions/shared/lazy.ts';

const request = (path: string) => ({ route: { method: 'GET', path } as RouteSpec }) as HttpRequest;

describe('once', () => {
  it('loads once for concurrent and later callers', async () => {
    let loads = 0;
    const load = once(async () => ++loads);
    expect(await Promise.all([load(), load()])).toEqual([1, 1]);
    expect(await load()).toBe(1);
    expect(loads).toBe(1);
  });

  it('does not keep a failed load: the next call tries again', async () => {
    let loads = 0;
    const load = once(async () => {
      loads++;
      if (loads === 1) throw new Error('chunk unreadable');
      return 'loaded';
    });
    await expect(load()).rejects.toThrow('chunk unreadable');
    expect(await load()).toBe('loaded');
  });
});

describe('lazyRoutes', () => {
  it('loads the module on the first request of any of its routes, once', async () => {
    let loads = 0;
    const handlers = lazyRoutes(['GET /a', 'GET /b'], async () => {
      loads++;
      return {
        'GET /a': async (_request: HttpRequest, deps: string) => ({ statusCode: 200, body: `a ${deps}` }),
        'GET /b': async (_request: HttpRequest, deps: string) => ({ statusCode: 201, body: `b ${deps}` }),
      };
    });
    expect(Object.keys(handlers)).toEqual(['GET /a', 'GET /b']);
    expect(loads).toBe(0);
    expect(await handlers['GET /b']!(request('/b'), 'deps')).toEqual({ statusCode: 201, body: 'b deps' });
    expect(await handlers['GET /a']!(request('/a'), 'deps')).toEqual({ statusCode: 200, body: 'a deps' });
    expect(loads).toBe(1);
  });

  it('fails the request of a route the module does not handle', async () => {
    const handlers = lazyRoutes(['GET /a'], async () => ({}));
    await expect(handlers['GET /a']!(request('/a'), undefined)).rejects.toThrow('no handler for GET /a');
  });
});

describe('lazyPort', () => {
  interface Port {
    get(id: string): Promise<string>;
    count(): Promise<number>;
  }

  it('builds the adapter on the first call, once, and calls it with its own this', async () => {
    let builds = 0;
    const port = lazyPort<Port>(async () => {
      builds++;
      const prefix = 'item';
      return {
        prefix,
        async get(id: string) {
          return `${this.prefix} ${id}`;
        },
        async count() {
          return 2;
        },
      } as Port & { prefix: string };
    });
    expect(builds).toBe(0);
    expect(await Promise.all([port.get('1'), port.count()])).toEqual(['item 1', 2]);
    expect(builds).toBe(1);
  });

  it('is not thenable, so awaiting the port answers the port', async () => {
    const port = lazyPort<Port>(async () => ({ get: async () => 'x', count: async () => 0 }));
    expect(await port).toBe(port);
  });

  it('rejects a call of a member the adapter lacks', async () => {
    const port = lazyPort<Port>(async () => ({ get: async () => 'x' }) as unknown as Port);
    await expect(port.count()).rejects.toThrow(TypeError);
  });
});
