// Text helpers every message, log line and report goes through: one truncation, one secret
// redaction, one base-URL join. No 'vscode' import (used by the client and by the extension alike).

/** Shortens `text` to `max` characters (whole code points), saying how much was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // don't split a surrogate pair
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

/** What a removed secret is replaced with. */
export const REDACTED = '•••';
const MIN_SECRET_LENGTH = 4;
// Bearer tokens and common provider key shapes (sk-…, sk-or-…, ghp_…, long opaque tokens after "key").
const SECRET_PATTERNS: RegExp[] = [
  /(\bBearer\s+)[^\s"',;]+/gi,
  /\b(?:sk|rk|pk)-[A-Za-z0-9_-]{8,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{16,}/g,
  /((?:api[_-]?key|token|secret|password)["']?\s*[:=]\s*["']?)[^\s"',;]{6,}/gi,
];

/**
 * Removes secrets from text meant for a log, a message or an error: every known secret value
 * verbatim (servers sometimes echo the key), then anything that looks like a bearer token or key.
 */
export function redactSecrets(text: string, knownSecrets: Iterable<string | undefined> = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH && out.includes(secret))
      out = out.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match: string, prefix?: unknown) =>
      typeof prefix === 'string' && prefix !== match && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/** `https://host/v1/` → `https://host/v1`: the form requests are built from and quirks are remembered under. */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '');
}

/** `{baseUrl}{path}` as text (`path` starts with `/`), e.g. for log lines; see `endpointUrl` for a checked URL. */
export function joinBaseUrl(baseUrl: string, path: string): string {
  return normalizeBaseUrl(baseUrl) + path;
}

/** Appended to messages about an answer that cannot be from an OpenAI-compatible API root. */
export const BASE_URL_HINT = 'check the base URL (does it end in /v1?)';
