import type { ApiProblem } from '../api/problem.ts';

/** A failed call's title and detail (and field issues), announced to screen readers. */
export function ProblemAlert({ problem }: { problem: ApiProblem | null | undefined }) {
  if (!problem) return null;
  return (
    <div class="problem" role="alert">
      <p class="problem-title">{problem.title}</p>
      <p>{problem.detail}</p>
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((issue) => (
            <li key={issue.path}>
              {issue.path ? <code>{issue.path}</code> : null} {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
