// Named domain errors. functions/shared/problem.ts maps them to HTTP in exactly one place.

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: 'validation' | 'not_found' | 'conflict' | 'precondition_failed' | 'unprocessable' | 'forbidden' | 'gone';
}

export class ValidationError extends DomainError {
  readonly kind = 'validation';
  readonly issues: readonly FieldIssue[];
  constructor(message: string, issues: readonly FieldIssue[] = []) {
    super(message);
    this.issues = issues;
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition_failed';
}

export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable';
}

export class CustomerNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No customer with id ${id}.`);
  }
}

export class EmailTakenError extends ConflictError {
  constructor() {
    super('Another customer already uses this email address.');
  }
}

export class StaleVersionError extends PreconditionFailedError {
  constructor(expected: number, actual?: number) {
    super(
      actual === undefined
        ? `If-Match names version ${expected}, but the resource has changed since.`
        : `If-Match names version ${expected}, but the resource is at version ${actual}.`,
    );
  }
}

export class IdempotencyKeyReusedError extends UnprocessableError {
  constructor() {
    super('This Idempotency-Key was already used with a different request.');
  }
}

/** The stored version moved between our read and our conditional write. */
export class ConcurrentUpdateError extends ConflictError {
  constructor() {
    super('The resource was changed by several requests at once; read it again and retry.');
  }
}

export class CustomerMergedError extends ConflictError {
  readonly targetId: string;
  constructor(id: string, targetId: string) {
    super(`Customer ${id} was merged into ${targetId}; write to ${targetId} instead.`);
    this.targetId = targetId;
  }
}

export class IdentityTakenError extends ConflictError {
  constructor(type: string, value: string, ownerId: string) {
    super(`The identity ${type}:${value} already belongs to customer ${ownerId}.`);
  }
}

export class CustomerBeingErasedError extends ConflictError {
  constructor(id: string) {
    super(`Customer ${id} is being erased.`);
  }
}

/** A write about a customer whose erasure is done: nothing more is recorded about the person. */
export class CustomerErasedError extends ConflictError {
  constructor(id: string) {
    super(`Customer ${id} was erased; nothing more is recorded about them.`);
  }
}

/** The customer a write was about is no longer there to take it (erased, being erased, merged away). */
export const isCustomerGone = (error: unknown): error is CustomerNotFoundError | CustomerBeingErasedError | CustomerErasedError | CustomerMergedError =>
  error instanceof CustomerNotFoundError || error instanceof CustomerBeingErasedError || error instanceof CustomerErasedError || error instanceof CustomerMergedError;

export class CaseNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No case with id ${id}.`);
  }
}

export class UnknownCustomerError extends UnprocessableError {
  constructor(id: string) {
    super(`No customer with id ${id}; a case needs an existing customer.`);
  }
}

export class UnknownTopicError extends UnprocessableError {
  constructor(topic: string) {
    super(`No topic ${topic}; PUT /topics defines them.`);
  }
}

export class ForbiddenActionError extends DomainError {
  readonly kind = 'forbidden' as const;
}

export class TokenExpiredError extends DomainError {
  readonly kind = 'gone' as const;
}
