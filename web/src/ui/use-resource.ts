import { type Inputs, useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiProblem, toProblem } from '../api/problem.ts';

export interface Resource<T> {
  data: T | undefined;
  problem: ApiProblem | null;
  loading: boolean;
  reload: () => void;
}

/** Loads `load()` when `deps` change; a late answer for old deps is dropped. */
export function useResource<T>(load: () => Promise<T>, deps: Inputs): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; problem: ApiProblem | null; loading: boolean }>({ data: undefined, problem: null, loading: true });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true, problem: null }));
    load().then(
      (data) => mine === generation.current && setState({ data, problem: null, loading: false }),
      (error: unknown) => mine === generation.current && setState((s) => ({ data: s.data, problem: toProblem(error), loading: false })),
    );
  }, deps);
  useEffect(() => {
    run();
    return () => void ++generation.current;
  }, [run]);
  return { ...state, reload: run };
}
