// Named domain errors. functions/shared/problem.ts maps them to HTTP in exactly one place.

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * What went wrong, as a stable slug: the problem `type` names it (`urn:ecrm:problem:<code>`), so a
 * client can tell an email taken from a merged customer without reading the text. Each kind has a
 * code of its own; an error whose cause a client may act on names it. A new code goes here and in
 * the titles of functions/shared/problem.ts (the compiler asks for it there).
 */
export type ErrorCode =
  | 'validation'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'unprocessable'
  | 'forbidden'
  | 'gone'
  | 'email-taken'
  | 'identity-taken'
  | 'merged'
  | 'being-erased'
  | 'erased'
  | 'concurrent-update'
  | 'stale-version'
  | 'idempotency-key-reused'
  | 'unknown-customer'
  | 'unknown-topic'
  | 'case-closed'
  | 'status-move'
  | 'queue-empty'
  | 'expired'
  | 'campaign-state'
  | 'unknown-segment'
  | 'address-suppressed'
  // knowledge authoring (issue 11)
  | 'slug-taken'
  | 'category-in-use'
  | 'unknown-category'
  | 'article-not-published'
  // sales: leads (issue 12)
  | 'lead-open'
  // sales: accounts (issue 12)
  | 'account-cycle'
  | 'domain-taken'
  | 'unknown-account'
  // sales: lead conversion (issue 12)
  | 'lead-converted'
  // sales: pipeline stages (issue 12)
  | 'stage-in-use'
  | 'unknown-stage'
  // sales: partners (issue 12)
  | 'not-a-partner'
  // analytics (issue 13)
  | 'model-not-fitted'
  // analytics: the cube (issue 13)
  | 'cube-query-too-large'
  // analytics: case volume forecasts (issue 13)
  | 'not-enough-history';

export abstract class DomainError extends Error {
  abstract readonly kind: 'validation' | 'not_found' | 'conflict' | 'precondition_failed' | 'unprocessable' | 'forbidden' | 'gone';
  abstract readonly code: ErrorCode;
}

export class ValidationError extends DomainError {
  readonly kind = 'validation';
  readonly code: ErrorCode = 'validation';
  readonly issues: readonly FieldIssue[];
  constructor(message: string, issues: readonly FieldIssue[] = []) {
    super(message);
    this.issues = issues;
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code: ErrorCode = 'not-found';
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  readonly code: ErrorCode = 'conflict';
}

export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition_failed';
  readonly code: ErrorCode = 'precondition-failed';
}

export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable';
  readonly code: ErrorCode = 'unprocessable';
}

export class CustomerNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No customer with id ${id}.`);
  }
}

/**
 * Self-service (/me): the token names a customer who is not there for it: never created, erased,
 * or merged into another profile (the token must be reissued for that one; it is not followed).
 * Not-found like any other resource, with a detail the person can act on.
 */
export class NoProfileError extends NotFoundError {
  constructor(reason: 'missing' | 'merged') {
    super(
      reason === 'merged'
        ? 'Your profile was merged into another one; sign in again so that your token names it.'
        : 'Your profile does not exist: it was never created, or it was erased.',
    );
  }
}

export class EmailTakenError extends ConflictError {
  override readonly code = 'email-taken';
  constructor() {
    super('Another customer already uses this email address.');
  }
}

export class StaleVersionError extends PreconditionFailedError {
  override readonly code = 'stale-version';
  constructor(expected: number, actual?: number) {
    super(
      actual === undefined
        ? `If-Match names version ${expected}, but the resource has changed since.`
        : `If-Match names version ${expected}, but the resource is at version ${actual}.`,
    );
  }
}

export class IdempotencyKeyReusedError extends UnprocessableError {
  override readonly code = 'idempotency-key-reused';
  constructor() {
    super('This Idempotency-Key was already used with a different request.');
  }
}

/** The stored version moved between our read and our conditional write. */
export class ConcurrentUpdateError extends ConflictError {
  override readonly code = 'concurrent-update';
  constructor() {
    super('The resource was changed by several requests at once; read it again and retry.');
  }
}

export class CustomerMergedError extends ConflictError {
  override readonly code = 'merged';
  readonly targetId: string;
  constructor(id: string, targetId: string) {
    super(`Customer ${id} was merged into ${targetId}; write to ${targetId} instead.`);
    this.targetId = targetId;
  }
}

export class IdentityTakenError extends ConflictError {
  override readonly code = 'identity-taken';
  constructor(type: string, value: string, ownerId: string) {
    super(`The identity ${type}:${value} already belongs to customer ${ownerId}.`);
  }
}

export class CustomerBeingErasedError extends ConflictError {
  override readonly code = 'being-erased';
  constructor(id: string) {
    super(`Customer ${id} is being erased.`);
  }
}

/** A write about a customer whose erasure is done: nothing more is recorded about the person. */
export class CustomerErasedError extends ConflictError {
  override readonly code = 'erased';
  constructor(id: string) {
    super(`Customer ${id} was erased; nothing more is recorded about them.`);
  }
}

/** The customer a write was about is no longer there to take it (erased, being erased, merged away). */
export const isCustomerGone = (error: unknown): error is CustomerNotFoundError | CustomerBeingErasedError | CustomerErasedError | CustomerMergedError =>
  error instanceof CustomerNotFoundError || error instanceof CustomerBeingErasedError || error instanceof CustomerErasedError || error instanceof CustomerMergedError;

/** GET /me/erasure, POST /me/erasure/cancel: the person has no pending erasure request. */
export class ErasureRequestNotFoundError extends NotFoundError {
  constructor() {
    super('You have no pending erasure request.');
  }
}

export class CaseNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No case with id ${id}.`);
  }
}

export class UnknownCustomerError extends UnprocessableError {
  override readonly code = 'unknown-customer';
  constructor(id: string, what = 'a case') {
    super(`No customer with id ${id}; ${what} needs an existing customer.`);
  }
}

export class UnknownTopicError extends UnprocessableError {
  override readonly code = 'unknown-topic';
  constructor(topic: string) {
    super(`No topic ${topic}; PUT /topics defines them.`);
  }
}

export class ForbiddenActionError extends DomainError {
  readonly kind = 'forbidden' as const;
  readonly code: ErrorCode = 'forbidden';
}

export class TokenExpiredError extends DomainError {
  readonly kind = 'gone' as const;
  readonly code: ErrorCode = 'expired';
}

/** Another attempt is doing this event's work right now: fail the delivery so it is retried (not dropped). */
export class ClaimHeldError extends Error {
  constructor(key: string) {
    super(`The claim ${key} is held by another attempt; retry later.`);
    this.name = 'ClaimHeldError';
  }
}
