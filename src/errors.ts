// One shape for any failure shown to the user or returned from a command: a kind and a message
// that names the cause. Messages pass through the log's redaction before they leave.
import { ChatError } from './api';
import { EndpointError } from './endpoint';

export interface UserFacingError {
  /** A `ChatErrorKind`, an `EndpointErrorKind`, or `unexpected`. */
  kind: string;
  message: string;
}

export function toUserFacingError(error: unknown, redact: (text: string) => string): UserFacingError {
  if (error instanceof ChatError || error instanceof EndpointError) return { kind: error.kind, message: redact(error.message) };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'unexpected', message: redact(message) };
}
