import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConcurrentUpdateError, DomainError, ValidationError } from '#domain/shared/errors.ts';
import { dependencyFailure } from './dependency-errors.ts';
import { HttpError } from './http-error.ts';

// The one place errors become HTTP responses (RFC 9457 problem details).

const STATUS_BY_KIND = {
  validation: [400, 'Invalid request'],
  not_found: [404, 'Not found'],
  conflict: [409, 'Conflict'],
  precondition_failed: [412, 'Precondition failed'],
  unprocessable: [422, 'Unprocessable request'],
  forbidden: [403, 'Forbidden'],
  gone: [410, 'Gone'],
} as const;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', ...(problem.status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {}), ...headers },
    body: JSON.stringify(problem),
  };
}

export function toProblem(error: unknown): Problem | undefined {
  if (error instanceof HttpError) {
    return withIssues({ type: typeFor(error.status), title: error.title, status: error.status, detail: error.message }, error.issues);
  }
  if (error instanceof DomainError) {
    const [status, title] = STATUS_BY_KIND[error.kind];
    const issues = error instanceof ValidationError ? error.issues : [];
    return withIssues({ type: typeFor(status), title, status, detail: error.message }, issues);
  }
  const failure = dependencyFailure(error);
  if (failure === 'unavailable') return UNAVAILABLE_PROBLEM;
  if (failure === 'conflict') return toProblem(new ConcurrentUpdateError());
  return undefined;
}

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 1;

/** DynamoDB (or the network to it) down, slow or throttling, after the SDK's bounded retries. */
export const UNAVAILABLE_PROBLEM: Problem = {
  type: 'urn:ecrm:problem:unavailable',
  title: 'Service unavailable',
  status: 503,
  detail: 'A service this request needs is unavailable or too slow right now. Retry after the seconds in Retry-After.',
};

export const INTERNAL_PROBLEM: Problem = {
  type: typeFor(500),
  title: 'Internal error',
  status: 500,
  detail: 'Something went wrong on our side. The request may be retried.',
};

function withIssues(problem: Problem, issues: readonly { path: string; message: string }[]): Problem {
  return issues.length > 0 ? { ...problem, errors: [...issues] } : problem;
}

function typeFor(status: number): string {
  return `urn:ecrm:problem:${status}`;
}
