// Pure rules about endpoints and keys: URL validation, where a key may go, what needs a warning.
// No 'vscode' import, so the rules can be tested anywhere.

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
    return { ok: false, problem: `"${truncate(text, 80)}" is not a URL (expected e.g. https://api.solidrust.ai/v1)` };
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

/** True for names and addresses that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
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

/** Header names whose values must never be shown or logged. */
export function isSecretHeaderName(name: string): boolean {
  return SECRET_HEADER.test(name);
}

const MIN_SECRET_LENGTH = 4;
// Bearer tokens and common provider key shapes (sk-…, sk-or-…, ghp_…, long opaque tokens after "key").
const SECRET_PATTERNS: RegExp[] = [
  /(\bBearer\s+)[^\s"',;]+/gi,
  /\b(?:sk|rk|pk)-[A-Za-z0-9_-]{8,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{16,}/g,
  /((?:api[_-]?key|token|secret|password)["']?\s*[:=]\s*["']?)[^\s"',;]{6,}/gi,
];

/**
 * Removes secrets from text meant for a log or a message: every known secret value verbatim, then
 * anything that looks like a bearer token or provider key.
 */
export function redactSecrets(text: string, knownSecrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('•••');
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match: string, prefix?: unknown) => (typeof prefix === 'string' && prefix !== match && match.startsWith(prefix) ? `${prefix}•••` : '•••'));
  }
  return out;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
