// Live previews while a rule is edited: calls wait until the typing pauses (debounce), and only the
// answer to the newest call is shown (an older, slower answer must not overwrite a newer count).

export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  cancel(): void;
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const debounced = (...args: A) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, ms);
  };
  debounced.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return debounced;
}

/** Wraps an async call so that only the newest call's answer (or error) reaches `onResult`. */
export function latestOnly<A extends unknown[], T>(call: (...args: A) => Promise<T>, onResult: (outcome: { ok: true; value: T } | { ok: false; error: unknown }) => void) {
  let newest = 0;
  return async (...args: A): Promise<void> => {
    const mine = ++newest;
    try {
      const value = await call(...args);
      if (mine === newest) onResult({ ok: true, value });
    } catch (error) {
      if (mine === newest) onResult({ ok: false, error });
    }
  };
}
