import { describe, expect, it } from 'vitest';
import { ApiProblem, problemFromResponse, toProblem } from '../../web/src/api/problem.ts';

// Every failed call reaches the screens as an ApiProblem with a title and a detail, whatever
// answered: the API (problem+json), API Gateway ({"message": …}), or nothing (no connection).

describe('the console client: answers to problems', () => {
  it('keeps a problem+json answer as the API wrote it, field issues included', () => {
    const problem = problemFromResponse(400, {
      type: 'https://ecrm.example/problems/validation',
      title: 'Invalid request',
      status: 400,
      detail: 'email: must be a valid email address',
      errors: [{ path: 'email', message: 'must be a valid email address' }, { path: 3, message: 'not an issue' }],
    });
    expect(problem).toBeInstanceOf(ApiProblem);
    expect(problem).toMatchObject({ status: 400, type: 'https://ecrm.example/problems/validation', title: 'Invalid request', detail: 'email: must be a valid email address' });
    expect(problem.errors).toEqual([{ path: 'email', message: 'must be a valid email address' }]);
  });

  it('gives API Gateway\'s own answers a title and detail for their status', () => {
    expect(problemFromResponse(401, { message: 'Unauthorized' })).toMatchObject({ status: 401, type: 'about:blank', title: 'Signed out' });
    expect(problemFromResponse(413, { message: 'Request Entity Too Large' })).toMatchObject({ title: 'Too large' });
    expect(problemFromResponse(502, undefined)).toMatchObject({ status: 502, title: 'Server error' });
    expect(problemFromResponse(418, 'teapot')).toMatchObject({ status: 418, title: 'Request failed', detail: 'The API answered 418.' });
  });

  it('keeps a problem\'s title when its detail is missing, with the status\'s detail', () => {
    expect(problemFromResponse(412, { title: 'Precondition failed' })).toMatchObject({ title: 'Precondition failed', detail: 'Someone changed this item since you opened it.' });
  });

  it('turns anything else a call throws into a connection problem, and passes an ApiProblem through', () => {
    expect(toProblem(new TypeError('Failed to fetch'))).toMatchObject({ status: 0, title: 'No connection' });
    const problem = problemFromResponse(404, { title: 'Not found', detail: 'No customer c-1' });
    expect(toProblem(problem)).toBe(problem);
  });
});
