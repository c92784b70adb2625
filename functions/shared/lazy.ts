import type { RouteKey } from '#infra/route-access.ts';
import type { RouteHandler } from './http-app.ts';

// Cold start pays for the code it compiles: every byte of index.mjs and of the chunks it imports
// statically. Code reached only through import() lands in a chunk of its own (infra/bundling.ts
// splits bundles) and is compiled by the first request that needs it. These helpers put a route's
// code, or an adapter and the libraries only it uses, behind such an import().

/**
 * `load` once, on the first call, shared by concurrent callers. A failed load is not kept: the
 * next call tries again (a chunk that could not be read must not poison the container).
 */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
}

/**
 * The handlers of `keys`, from a module loaded by the first request to any of them. `load`
 * answers the module's handler map; a key it lacks is a programming error, reported at that request.
 */
export function lazyRoutes<D>(keys: readonly RouteKey[], load: () => Promise<Readonly<Record<string, RouteHandler<D>>>>): Record<string, RouteHandler<D>> {
  const handlers = once(load);
  return Object.fromEntries(
    keys.map((key): [string, RouteHandler<D>] => [
      key,
      async (request, deps) => {
        const handle = (await handlers())[key];
        if (!handle) throw new Error(`The lazily loaded routes have no handler for ${key}`);
        return handle(request, deps);
      },
    ]),
  );
}

type AsyncMethods<P> = { [K in keyof P]: P[K] extends (...args: never[]) => Promise<unknown> ? P[K] : never };

/**
 * A port whose adapter is built on its first call: `load` imports the adapter's module (its own
 * chunk) and builds it. Only for ports whose every member is an async method, so a caller cannot
 * tell the difference. Not thenable: awaiting the port itself answers the port.
 */
export function lazyPort<P extends AsyncMethods<P>>(load: () => Promise<P>): P {
  const adapter = once(load);
  const methods = new Map<PropertyKey, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy({} as P, {
    get(_target, name) {
      if (typeof name !== 'string' || name === 'then') return undefined;
      let method = methods.get(name);
      if (!method) {
        method = async (...args: unknown[]) => {
          const port = (await adapter()) as Record<string, unknown>;
          const member = port[name];
          if (typeof member !== 'function') throw new TypeError(`The lazily loaded port has no method ${name}`);
          return (member as (...a: unknown[]) => Promise<unknown>).apply(port, args);
        };
        methods.set(name, method);
      }
      return method;
    },
  });
}
