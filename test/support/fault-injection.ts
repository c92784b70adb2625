// Shared by the in-memory fakes: fail the next call of an operation, or run a concurrent writer
// just before the next conditional write checks its condition.

export function faultInjection<Operation extends string>() {
  const failures = new Map<Operation, Error>();
  let interleave: (() => Promise<unknown> | void) | undefined;
  return {
    failNext(operation: Operation, error: Error): void {
      failures.set(operation, error);
    },
    beforeNextWrite(run: () => Promise<unknown> | void): void {
      interleave = run;
    },
    /** Throws the error queued for this operation, once. */
    injected(operation: Operation): void {
      const error = failures.get(operation);
      if (!error) return;
      failures.delete(operation);
      throw error;
    },
    /** Runs the queued concurrent writer, once. */
    async concurrentWriter(): Promise<void> {
      const run = interleave;
      interleave = undefined;
      await run?.();
    },
  };
}
