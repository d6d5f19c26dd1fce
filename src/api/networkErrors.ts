// Turns a failure of `fetch` itself (nothing received) into a ChatError naming the host: refused,
// DNS, TLS, timeouts, resets. No message ever contains the API key.
import { redactSecrets } from './text';
import { ChatError } from './types';

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** Connection failures that may well succeed a moment later (worth a retry before any output). */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNABORTED',
  'EAI_AGAIN',
]);

/** The innermost error code of a fetch failure (`fetch failed` → cause → errors[0]). */
export function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const record = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string' && record.code !== 'ABORT_ERR') return record.code;
    if (Array.isArray(record.errors) && record.errors.length > 0) current = record.errors[0];
    else current = record.cause;
  }
  return undefined;
}

function innermostMessage(error: unknown): string {
  let current: unknown = error;
  let message = '';
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    message = current.message || message;
    const next = (current as { cause?: unknown }).cause;
    current = next instanceof Error ? next : (current as { errors?: unknown[] }).errors?.[0];
  }
  return message;
}

/** What went wrong with TLS, shortly; undefined when `code` is not a TLS failure. */
function tlsFailureOf(code: string | undefined, inner: string): string | undefined {
  if (code === undefined || !(TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')))
    return undefined;
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN') return 'self-signed certificate';
  return inner || code;
}

/** Maps a failure of `fetch` itself (nothing received) to a ChatError naming the host. */
export function connectError(error: unknown, url: URL, apiKey?: string): ChatError {
  const host = url.host;
  const origin = url.origin;
  const code = networkCodeOf(error);
  const inner = redactSecrets(innermostMessage(error), [apiKey]);
  const common = { origin, code, cause: error };
  if (code === 'ECONNREFUSED') {
    return new ChatError({
      ...common,
      kind: 'network',
      message: `Could not connect to ${host}: connection refused. Is the server running?`,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return new ChatError({
      ...common,
      kind: 'network',
      message: `Could not resolve host ${url.hostname} (DNS lookup failed). Check the base URL and your network.`,
    });
  }
  const tls = tlsFailureOf(code, inner);
  if (tls !== undefined) {
    return new ChatError({
      ...common,
      kind: 'network',
      message: `TLS connection to ${host} failed (${tls}). The server's certificate is not trusted.`,
    });
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ChatError({ ...common, kind: 'timeout', message: `Connecting to ${host} timed out.` });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new ChatError({
      ...common,
      kind: 'timeout',
      message: `${host} sent no response for 5 minutes (the longest a request may wait for its first byte).`,
    });
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new ChatError({
      ...common,
      kind: 'network',
      message: `${host} is unreachable from this machine (${code}).`,
    });
  }
  if (code !== undefined && TRANSIENT_CODES.has(code)) {
    return new ChatError({
      ...common,
      kind: 'network',
      message: `The connection to ${host} was closed before the server answered.`,
    });
  }
  return new ChatError({
    ...common,
    kind: 'network',
    message: `Request to ${host} failed${inner ? `: ${inner}` : ''}`,
  });
}

/** Whether a connect error is worth retrying (resets and the like, not refusals or bad certificates). */
export function isTransientNetworkError(error: ChatError): boolean {
  return error.kind === 'network' && error.code !== undefined && TRANSIENT_CODES.has(error.code);
}
