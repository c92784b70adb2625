/**
 * An AWS SDK client made when a request first sends through it, not at cold start (issue 14: a
 * function's cold import is measured against the DynamoDB document client alone). Building a
 * client resolves its whole configuration and middleware stack; most requests of a function
 * never touch its SES, EventBridge, Scheduler, Athena or CloudWatch client, so only the first one
 * that does pays for it. The module scope still holds the one client per process (STYLE rule 8):
 * this is its handle. Every property read goes to the client, its methods bound to it, so
 * `send`, `destroy` and `config` behave as on the client itself (aws-sdk-client-mock stubs the
 * class's prototype, which the client made here shares).
 */
export function clientOnFirstUse<C extends object>(make: () => C): C {
  let client: C | undefined;
  const real = (): C => (client ??= make());
  return new Proxy({} as C, {
    get: (_, key) => {
      const value: unknown = Reflect.get(real(), key);
      return typeof value === 'function' ? value.bind(real()) : value;
    },
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
