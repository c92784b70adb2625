import type { RouteHandler } from './http-app.ts';

/**
 * SKELETON ONLY (issue 11 in progress): the handler of a route whose part is still being built.
 * Every use of it is replaced before the issue closes, and then this file goes (tsc finds any use left).
 */
export const notBuilt: RouteHandler<unknown> = async (request) => {
  throw new Error(`${request.route.operationId} is not built yet`);
};

/** SKELETON ONLY: an event or schedule consumer still being built. */
export const notBuiltConsumer = (name: string) => async (_event: unknown) => {
  throw new Error(`${name} is not built yet`);
};
