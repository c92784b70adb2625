// Every failed API call becomes an ApiProblem: the problem+json body's fields when the API sent one
// (RFC 9457), else a problem built from what API Gateway or the network said, so that every screen
// shows a title and a detail the same way (ProblemAlert).

export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly errors?: FieldIssue[];

  constructor(fields: { status: number; type?: string; title: string; detail: string; errors?: FieldIssue[] }) {
    super(`${fields.title}: ${fields.detail}`);
    this.name = 'ApiProblem';
    this.status = fields.status;
    this.type = fields.type ?? 'about:blank';
    this.title = fields.title;
    this.detail = fields.detail;
    if (fields.errors) this.errors = fields.errors;
  }
}

/** What a status means when the body says nothing useful (API Gateway's own answers, proxies). */
const STATUS_TEXT: Record<number, [string, string]> = {
  400: ['Bad request', 'The request was not accepted.'],
  401: ['Signed out', 'Your session has expired or is not valid. Sign in again.'],
  403: ['Not allowed', 'Your role may not do this.'],
  404: ['Not found', 'There is nothing at this address.'],
  409: ['Conflict', 'This conflicts with the current state.'],
  412: ['Changed meanwhile', 'Someone changed this item since you opened it.'],
  413: ['Too large', 'The request is too large.'],
  429: ['Too many requests', 'The API is busy; try again in a moment.'],
  500: ['Server error', 'The API failed to answer. Try again later.'],
  503: ['Unavailable', 'The API is unavailable. Try again later.'],
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function fieldIssues(value: unknown): FieldIssue[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const issues = value.filter((e): e is FieldIssue => isRecord(e) && typeof e.path === 'string' && typeof e.message === 'string');
  return issues.length ? issues.map(({ path, message }) => ({ path, message })) : undefined;
}

/** The problem for an answer with `status` and its parsed body (problem+json, a gateway message, anything). */
export function problemFromResponse(status: number, body: unknown): ApiProblem {
  const [fallbackTitle, fallbackDetail] = STATUS_TEXT[status] ?? (status >= 500 ? STATUS_TEXT[500]! : ['Request failed', `The API answered ${status}.`]);
  if (isRecord(body) && typeof body.title === 'string') {
    const errors = fieldIssues(body.errors);
    return new ApiProblem({
      status,
      ...(typeof body.type === 'string' ? { type: body.type } : {}),
      title: body.title,
      detail: typeof body.detail === 'string' ? body.detail : fallbackDetail,
      ...(errors ? { errors } : {}),
    });
  }
  // API Gateway answers {"message": "Unauthorized"} and the like: a status text, not a detail.
  return new ApiProblem({ status, title: fallbackTitle, detail: fallbackDetail });
}

/** The problem for anything a call threw: an ApiProblem as it is, else a network failure. */
export function toProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  return new ApiProblem({
    status: 0,
    type: 'about:blank',
    title: 'No connection',
    detail: 'The API could not be reached. Check the connection and try again.',
  });
}
