import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConcurrentUpdateError, DomainError, type ErrorCode, type FieldIssue, ValidationError } from '#domain/shared/errors.ts';
import { dependencyFailure } from './dependency-errors.ts';
import { HttpError, type HttpErrorCode } from './http-error.ts';

// The one place errors become HTTP responses (RFC 9457 problem details). The status follows the
// error's kind; the `type` names its cause (`urn:ecrm:problem:email-taken`), so clients branch on
// the type rather than on the status or the text.

const STATUS_BY_KIND = {
  validation: 400,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  unprocessable: 422,
  forbidden: 403,
  gone: 410,
} as const;

export type ProblemCode = ErrorCode | HttpErrorCode;

/** Every problem type the API answers with, and its title (the OpenAPI document and README list them). */
export const PROBLEM_TITLES: Readonly<Record<ProblemCode, string>> = {
  validation: 'Invalid request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  'body-too-large': 'Body too large',
  'unsupported-media-type': 'Unsupported media type',
  conflict: 'Conflict',
  'precondition-failed': 'Precondition failed',
  'precondition-required': 'Precondition required',
  unprocessable: 'Unprocessable request',
  gone: 'Gone',
  'email-taken': 'Email already in use',
  'identity-taken': 'Identity owned by another customer',
  merged: 'Customer was merged',
  'being-erased': 'Customer is being erased',
  erased: 'Customer was erased',
  'concurrent-update': 'Changed concurrently',
  'stale-version': 'Stale version',
  'idempotency-key-reused': 'Idempotency-Key reused',
  'unknown-customer': 'Unknown customer',
  'unknown-topic': 'Unknown topic',
  'case-closed': 'Case closed',
  'status-move': 'Status move not allowed',
  'queue-empty': 'Queue has no members',
  expired: 'Link expired',
  'campaign-state': 'Not possible in the campaign\'s state',
  'unknown-segment': 'Unknown segment',
  'address-suppressed': 'Address suppressed',
  'slug-taken': 'Slug already in use',
  'category-in-use': 'Category in use',
  'unknown-category': 'Unknown category',
  'article-not-published': 'Article not published',
  // sales: leads (issue 12)
  'lead-open': 'An open lead for this email exists',
  'account-cycle': 'Account hierarchy would loop',
  'domain-taken': 'Domain already in use',
  'unknown-account': 'Unknown account',
  // sales: lead conversion (issue 12)
  'lead-converted': 'Lead already converted',
  'stage-in-use': 'Stage in use',
  'unknown-stage': 'Unknown stage',
  'not-a-partner': 'Not a partner account',
  'model-not-fitted': 'No model fitted yet',
  'cube-query-too-large': 'Query would scan too much',
  'not-enough-history': 'Not enough history to forecast',
  'rate-limited': 'Too many requests',
  unavailable: 'Service unavailable',
  internal: 'Internal error',
};

export const problemType = (code: ProblemCode) => `urn:ecrm:problem:${code}`;

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
    return withIssues({ type: problemType(error.code), title: PROBLEM_TITLES[error.code], status: error.status, detail: error.message }, error.issues);
  }
  if (error instanceof DomainError) {
    // Validation errors, and a few others (an unpublished article linked), name the fields at fault.
    const issues = error instanceof ValidationError ? error.issues : 'issues' in error && Array.isArray(error.issues) ? (error.issues as FieldIssue[]) : [];
    return withIssues({ type: problemType(error.code), title: PROBLEM_TITLES[error.code], status: STATUS_BY_KIND[error.kind], detail: error.message }, issues);
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
  type: problemType('unavailable'),
  title: PROBLEM_TITLES.unavailable,
  status: 503,
  detail: 'A service this request needs is unavailable or too slow right now. Retry after the seconds in Retry-After.',
};

export const INTERNAL_PROBLEM: Problem = {
  type: problemType('internal'),
  title: PROBLEM_TITLES.internal,
  status: 500,
  detail: 'Something went wrong on our side. The request may be retried.',
};

function withIssues(problem: Problem, issues: readonly { path: string; message: string }[]): Problem {
  return issues.length > 0 ? { ...problem, errors: [...issues] } : problem;
}
