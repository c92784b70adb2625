import { describe, expect, it } from 'vitest';
import { QueueEmptyError, StatusMoveError } from '../../domain/cases/case.ts';
import {
  CustomerMergedError,
  CustomerNotFoundError,
  EmailTakenError,
  IdempotencyKeyReusedError,
  StaleVersionError,
  TokenExpiredError,
  ValidationError,
} from '../../domain/shared/errors.ts';
import { HttpError, unauthorized } from '../../functions/shared/http-error.ts';
import { INTERNAL_PROBLEM, PROBLEM_TITLES, toProblem } from '../../functions/shared/problem.ts';

describe('problem details name the cause', () => {
  it.each([
    [new EmailTakenError(), 409, 'email-taken'],
    [new CustomerMergedError('a', 'b'), 409, 'merged'],
    [new StaleVersionError(1, 2), 412, 'stale-version'],
    [new IdempotencyKeyReusedError(), 422, 'idempotency-key-reused'],
    [new ValidationError('bad', [{ path: 'email', message: 'x' }]), 400, 'validation'],
    [new CustomerNotFoundError('x'), 404, 'not-found'],
    [new StatusMoveError('open', 'closed'), 409, 'status-move'],
    [new QueueEmptyError('general'), 422, 'queue-empty'],
    [new TokenExpiredError('old'), 410, 'expired'],
    [new HttpError(413, 'too big'), 413, 'body-too-large'],
    [unauthorized(), 401, 'unauthorized'],
  ] as const)('%s -> %i urn:ecrm:problem:%s', (error, status, cause) => {
    const problem = toProblem(error)!;
    expect(problem).toMatchObject({ type: `urn:ecrm:problem:${cause}`, status, title: PROBLEM_TITLES[cause], detail: error.message });
  });

  it('keeps field issues on validation problems, and the 500 names no internals', () => {
    expect(toProblem(new ValidationError('bad', [{ path: 'email', message: 'x' }]))!.errors).toEqual([{ path: 'email', message: 'x' }]);
    expect(toProblem(new Error('secret'))).toBeUndefined();
    expect(INTERNAL_PROBLEM.type).toBe('urn:ecrm:problem:internal');
  });
});
