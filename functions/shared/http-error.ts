import type { FieldIssue } from '#domain/shared/errors.ts';

/** Causes the HTTP layer itself finds; functions/shared/problem.ts turns them into problem types. */
export type HttpErrorCode = 'validation' | 'unauthorized' | 'forbidden' | 'not-found' | 'body-too-large' | 'unsupported-media-type' | 'precondition-required' | 'rate-limited' | 'unavailable' | 'internal';

const CODE_BY_STATUS = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  413: 'body-too-large',
  415: 'unsupported-media-type',
  428: 'precondition-required',
} as const satisfies Readonly<Record<number, HttpErrorCode>>;

/**
 * Errors of the HTTP layer itself (auth, media type, malformed headers). The code (the problem
 * type's cause, which also gives the title) follows the status.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly issues: readonly FieldIssue[];
  readonly code: HttpErrorCode;
  constructor(status: keyof typeof CODE_BY_STATUS, detail: string, issues: readonly FieldIssue[] = []) {
    super(detail);
    this.status = status;
    this.issues = issues;
    this.code = CODE_BY_STATUS[status];
  }
}

export const unauthorized = () => new HttpError(401, 'A valid bearer token is required.');
export const forbidden = () => new HttpError(403, 'Your role may not do this.');
