/**
 * Errors the HTTP layer turns into `{ error: { code, message } }` with the right
 * status. Codes are stable: clients and tests branch on them, never on messages.
 */

export class HttpError extends Error {
  readonly code: string;
  readonly statusCode: number;
  /** Seconds for the Retry-After header, on 503s. */
  readonly retryAfterS: number | undefined;

  constructor(code: string, statusCode: number, message: string, options: { cause?: unknown; retryAfterS?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'HttpError';
    this.code = code;
    this.statusCode = statusCode;
    this.retryAfterS = options.retryAfterS;
  }
}

export function badRequest(code: string, message: string): HttpError {
  return new HttpError(code, 400, message);
}

export function notFound(code: string, message: string): HttpError {
  return new HttpError(code, 404, message);
}

export function unavailable(code: string, message: string, retryAfterS = 1, cause?: unknown): HttpError {
  return new HttpError(code, 503, message, { retryAfterS, cause });
}

/** The error body every endpoint answers with. */
export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** A short description of a received JSON value for messages: `"abc"`, `12`, `an object`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
