/**
 * A rule the command broke. `code` is stable (clients switch on it); the HTTP layer maps
 * `invalid_*` to 400, `*_not_found` to 404, everything else to 422.
 */
export type DomainErrorCode =
  | 'invalid_occurred_at'
  | 'occurred_at_in_future'
  | 'unknown_purpose'
  | 'unknown_purpose_version'
  | 'purpose_retired'
  | 'event_not_allowed_for_legal_basis'
  | 'subject_erased'
  | 'purpose_not_found'
  | 'invalid_validity_days';

export interface DomainError {
  kind: 'DomainError';
  code: DomainErrorCode;
  message: string;
  /** The offending input field, as a JSON path into the request body (`events[2].purpose`). */
  field?: string;
}

export const domainError = (code: DomainErrorCode, message: string, field?: string): DomainError => ({
  kind: 'DomainError',
  code,
  message,
  ...(field === undefined ? {} : { field }),
});

export const isDomainError = (value: unknown): value is DomainError =>
  typeof value === 'object' && value !== null && (value as DomainError).kind === 'DomainError';
