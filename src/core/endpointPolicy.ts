// Pure rules about endpoints and keys: URL validation, where a key may go, what needs a warning.
// No 'vscode' import, so the rules can be tested anywhere.
import { truncate } from '../api';

/** Secret scrubbing lives with the client (one implementation for errors, log and reports). */
export { redactSecrets } from '../api';

export type BaseUrlCheck = { ok: true; baseUrl: string; origin: string } | { ok: false; problem: string };

/**
 * Validates a base URL: http or https only, no credentials, query or fragment (the client appends
 * `/chat/completions`, and keys belong in secret storage, never in a URL). Trailing slashes are stripped.
 */
export function checkBaseUrl(raw: string): BaseUrlCheck {
  const text = raw.trim();
  if (text === '') return { ok: false, problem: 'the base URL is empty' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      problem: `"${truncate(displayUrl(text), 80)}" is not a URL (expected e.g. https://api.solidrust.ai/v1)`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, problem: `the base URL must start with http:// or https:// (got ${url.protocol})` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, problem: 'the base URL must not contain credentials; use "Stream Chat: Set API Key" instead' };
  }
  if (url.search !== '' || url.hash !== '') {
    return { ok: false, problem: 'the base URL must not contain a query (?…) or fragment (#…)' };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, baseUrl: `${url.origin}${path}`, origin: url.origin };
}

/**
 * A configured URL as it may appear in logs, messages and reports: credentials (`user:pass@`) and
 * any query or fragment replaced by `•••`, whether or not the text parses as a URL.
 */
export function displayUrl(raw: string): string {
  const text = raw.trim();
  try {
    const url = new URL(text);
    const hadCredentials = url.username !== '' || url.password !== '';
    const hadQuery = url.search !== '' || url.hash !== '';
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    const shown = url.href.replace(/\/$/, '') + (hadQuery ? '?•••' : '');
    return hadCredentials ? shown.replace('//', '//•••@') : shown;
  } catch {
    // Not a URL: still hide anything between "//" and the last "@" of the authority, and the query.
    return text.replace(/\/\/[^/?#]*@/, '//•••@').replace(/[?#].*$/, '?•••');
  }
}

/** True for names and addresses that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  // IPv4-mapped IPv6 loopback, as URL normalises it (e.g. ::ffff:7f00:1).
  if (/^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host) || /^::ffff:127\./.test(host)) return true;
  return false;
}

/** A key sent to this origin would cross the network unencrypted. */
export function keyWouldTravelInClear(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
}

/** Whether offering to set a key makes sense for this origin (local servers rarely need one). */
export function isLocalOrigin(origin: string): boolean {
  return isLoopbackHost(new URL(origin).hostname);
}

/** The SecretStorage name of the key for one origin. */
export function apiKeySecretName(origin: string): string {
  return `streamChat.apiKey:${origin}`;
}

const SECRET_HEADER = /(auth|key|token|secret|password|cookie|session)/i;

/**
 * Headers the HTTP client sets itself (framing, connection management, the target host): a user
 * value would be ignored, break the request body's framing, or make every request fail.
 */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-connection',
  'content-type',
  'accept',
]);

/**
 * Why a user-configured header cannot be sent, or undefined when it can. Checked before any request:
 * an invalid value would otherwise make every request fail with a misleading network error.
 */
export function headerProblem(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return 'the value is not a string';
  // Header names are tokens (RFC 9110 §5.1).
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return 'the name is not a valid header name';
  if (RESERVED_HEADERS.has(name.toLowerCase())) return 'the HTTP client sets this header itself';
  if (/[\r\n\0]/.test(value)) return 'the value contains a line break or NUL (header injection)';
  // fetch accepts only Latin-1 values; other control characters are invalid in a field value.
  if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) return 'the value contains characters that cannot be sent in a header';
  return undefined;
}

/**
 * Why a string cannot be used as an API key, or undefined. A key travels as `Authorization: Bearer <key>`:
 * spaces, line breaks and non-ASCII characters cannot (and are always a paste mistake).
 */
export function apiKeyProblem(key: string): string | undefined {
  if (key === '') return 'the key is empty';
  if (/^bearer\s/i.test(key)) return 'enter only the key, without "Bearer "';
  if (/[^\x21-\x7e]/.test(key)) return 'the key contains spaces, line breaks or non-ASCII characters';
  return undefined;
}

/** Header names whose values must never be shown or logged. */
export function isSecretHeaderName(name: string): boolean {
  return SECRET_HEADER.test(name);
}
