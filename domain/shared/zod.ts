import { config, globalRegistry } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// The project's one way in to zod: zod/mini, whose schemas are plain functions that esbuild can
// tree-shake, where classic zod builds every schema as an object carrying ~60 methods (and pulls
// in JSON Schema generation). That is ~75 KB and ~25 ms off each Lambda's cold start. zod/mini
// ships without messages; installing the English locale keeps the problem details readable.
// Import it as `import * as z from '#domain/shared/zod.ts'` (scripts/lint-architecture.ts
// refuses zod imports anywhere else in production code).
config(en());

export * from 'zod/mini';

/**
 * A schema built the first time anything touches it, not when its module loads (issue 14: a
 * function's cold import must not pay for the schemas of routes no request has called yet; a
 * Lambda serves 20 routes and a request uses one or two). Every module-level schema in domain/,
 * events/ and functions/ is declared through this, so an import costs a closure per schema and
 * the zod objects of a route are made on its first request.
 *
 * The value stands in for the schema everywhere (parse, compose into other schemas, OpenAPI):
 * a Proxy whose first trap builds the schema and copies it onto the proxy's own target, after
 * which every trap is the default one. Its registry entry (`.register(z.globalRegistry, { id })`
 * in `build`) moves to the proxy, because other schemas and the OpenAPI document hold the proxy,
 * never the object `build` returned; zod's registry reads `_zod` before its map, so the move
 * happens before any lookup. Plain memoised construction, not `import()`: esbuild without code
 * splitting wraps an import()ed module whole and stops tree-shaking it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function onFirstUse<T extends object>(build: () => T): T {
  const target = {} as T;
  let built = false;
  const ready = (): T => {
    if (built) return target;
    built = true;
    const schema = build();
    Object.setPrototypeOf(target, Object.getPrototypeOf(schema));
    Object.defineProperties(target, Object.getOwnPropertyDescriptors(schema));
    if (globalRegistry.has(schema as never)) {
      const meta = globalRegistry.get(schema as never);
      globalRegistry.remove(schema as never).add(proxy as never, meta as never);
    }
    return target;
  };
  const proxy: T = new Proxy(target, {
    get: (_, key) => Reflect.get(ready(), key),
    set: (_, key, value) => Reflect.set(ready(), key, value),
    has: (_, key) => Reflect.has(ready(), key),
    ownKeys: () => Reflect.ownKeys(ready()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(ready(), key),
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(ready(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(ready(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(ready()),
  });
  return proxy;
}
