import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiProblem, toProblem } from '../api/problem.ts';
import { ProblemAlert } from './problem-alert.tsx';

export interface PageOf<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface PagedList<T> {
  items: T[];
  problem: ApiProblem | null;
  loading: boolean;
  /** True while the API has more (a next cursor). */
  hasMore: boolean;
  loadMore: () => void;
  /** Starts again from the first page. */
  reload: () => void;
}

/**
 * A list read page by page with the API's cursors: the first page on mount, the next on
 * loadMore(). Pass a stable fetchPage (useCallback) or the list restarts on every render.
 */
export function usePagedList<T>(fetchPage: (cursor?: string) => Promise<PageOf<T>>): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);

  const fetchInto = useCallback(
    (from: string | undefined, replace: boolean) => {
      const mine = ++generation.current;
      setLoading(true);
      setProblem(null);
      fetchPage(from).then(
        (page) => {
          if (mine !== generation.current) return;
          setItems((old) => (replace ? page.items : [...old, ...page.items]));
          setCursor(page.nextCursor ?? null);
          setLoading(false);
        },
        (error: unknown) => {
          if (mine !== generation.current) return;
          setProblem(toProblem(error));
          setLoading(false);
        },
      );
    },
    [fetchPage],
  );

  useEffect(() => {
    fetchInto(undefined, true);
    return () => void ++generation.current;
  }, [fetchInto]);

  return {
    items,
    problem,
    loading,
    hasMore: typeof cursor === 'string',
    loadMore: () => typeof cursor === 'string' && fetchInto(cursor, false),
    reload: () => fetchInto(undefined, true),
  };
}

/** The list's problem, a loading note, and "Load more" while there is a next page. */
export function Pager<T>({ list, label = 'Load more' }: { list: PagedList<T>; label?: string }) {
  return (
    <div class="pager">
      <ProblemAlert problem={list.problem} />
      {list.loading ? (
        <p role="status">Loading…</p>
      ) : list.hasMore ? (
        <button type="button" onClick={list.loadMore}>
          {label}
        </button>
      ) : list.items.length === 0 && !list.problem ? (
        <p>Nothing here yet.</p>
      ) : null}
    </div>
  );
}
