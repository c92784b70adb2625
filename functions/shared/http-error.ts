import type { FieldIssue } from '#domain/shared/errors.ts';

/** Causes the HTTP layer itself finds; functions/shared/problem.ts turns them into problem types. */
export type HttpErrorCode = 'validation' | 'unauthorized' | 'forbidden' | 'not-found' | 'body-too-large' | 'unsupported-media-type' | 'precondition-required' | 'unavailable' | 'internal';

const CODE_BY_STATUS: Readonly<Record<number, HttpErrorCode>> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  413: 'body-too-large',
  415: 'unsupported-media-type',
  428: 'precondition-required',
};

/**
 * Errors of the HTTP layer itself (auth, media type, malformed headers). The code (the problem
 * type's cause) follows the status unless given; a status without one of its own needs a code.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly title: string;
  readonly issues: readonly FieldIssue[];
  readonly code: HttpErrorCode;
  constructor(status: number, title: string, detail: string, issues: readonly FieldIssue[] = [], code: HttpErrorCode = CODE_BY_STATUS[status] ?? 'internal') {
    super(detail);
    this.status = status;
    this.title = title;
    this.issues = issues;
    this.code = code;
  }
}

export const unauthorized = () => new HttpError(401, 'Unauthorized', 'A valid bearer token is required.');
export const forbidden = () => new HttpError(403, 'Forbidden', 'Your role may not do this.');
