import type { FieldIssue } from '#domain/shared/errors.ts';

/** Errors of the HTTP layer itself (auth, media type, malformed headers). */
export class HttpError extends Error {
  readonly status: number;
  readonly title: string;
  readonly issues: readonly FieldIssue[];
  constructor(status: number, title: string, detail: string, issues: readonly FieldIssue[] = []) {
    super(detail);
    this.status = status;
    this.title = title;
    this.issues = issues;
  }
}

export const unauthorized = () => new HttpError(401, 'Unauthorized', 'A valid bearer token is required.');
export const forbidden = () => new HttpError(403, 'Forbidden', 'Your role may not do this.');
