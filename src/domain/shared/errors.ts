/**
 * Errors the domain raises. Each carries a stable machine code; the HTTP layer maps codes to
 * statuses in one place, so domain code never thinks about HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A command that the aggregate's current state does not allow (e.g. answering an ended call). */
export class InvalidTransitionError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVALID_STATE_TRANSITION', message, details);
    this.name = 'InvalidTransitionError';
  }
}

/** Input that is well-formed JSON but not acceptable (bad phone number, bad currency...). */
export class ValidationError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('VALIDATION_ERROR', message, details);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'NotFoundError';
  }
}
