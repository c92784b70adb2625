import type { RouteHandler } from './http-app.ts';

/**
 * `handlers`, each called with `app` as its deps. For a module of an area of routes that
 * `lazyRoutes` loads (functions/shared/lazy.ts): it builds the use cases of its own routes when it
 * loads and binds its handlers to them, so the function's cold start builds no use case at all
 * and each area builds only the ones it calls.
 */
export function bindRoutes<A>(app: A, handlers: Readonly<Record<string, RouteHandler<A>>>): Record<string, RouteHandler<unknown>> {
  return Object.fromEntries(Object.entries(handlers).map(([key, handle]): [string, RouteHandler<unknown>] => [key, (request) => handle(request, app)]));
}
