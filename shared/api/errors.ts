/** The Anthropic-style error types of the Partners API and the HTTP status each one carries. */
export const API_ERROR_STATUS = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
} as const;

export type ApiErrorType = keyof typeof API_ERROR_STATUS;

export interface ApiErrorBody {
  type: 'error';
  error: { type: ApiErrorType; message: string };
  request_id: string;
}

export function isApiErrorType(value: unknown): value is ApiErrorType {
  return typeof value === 'string' && value in API_ERROR_STATUS;
}
