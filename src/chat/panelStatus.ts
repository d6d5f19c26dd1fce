// What the chat panel says about the endpoint before and after the user types: the model label, a
// problem found by a quick check (no key for a hosted endpoint, an endpoint that does not answer),
// and failures as the transcript shows them, each with the fix the notifications offer.
import { isLocalOrigin, keyWouldTravelInClear } from '../core/endpointPolicy';
import { DEFAULT_PROFILE_NAME } from '../core/profiles';
import { fixFor, toUserFacingError } from '../host/errorFixes';
import type { ErrorKind, ErrorView, PanelStatus } from '../protocol';
import type { Services } from '../host/services';
import type { FittedRequest } from './contextWindow';

/** How long the panel's endpoint check may take before it gives up (it never blocks typing). */
const CHECK_TIMEOUT_MS = 5_000;

/** Failures a Retry button can help with (the same request may well succeed a moment later). */
const RETRYABLE = new Set<ErrorKind>([
  'network',
  'timeout',
  'rate-limit',
  'server',
  'interrupted',
  'incomplete',
  'stream-error',
  'malformed',
  'unexpected',
]);

/** Failures of the endpoint check that mean chatting cannot work as configured. */
const CHECK_PROBLEMS = new Set<ErrorKind>(['auth', 'network', 'timeout', 'not-event-stream', 'quota']);

/** A failure as the panel shows it: redacted message, the fix, whether Retry makes sense. */
export function errorView(error: unknown, services: Pick<Services, 'log'>): ErrorView {
  const { kind, message } = toUserFacingError(error, (text) => services.log.redact(text));
  return { kind, message, fix: panelFix(kind), retryable: RETRYABLE.has(kind) };
}

/** The panel's button for a failure: the fix the notifications offer for it too. */
function panelFix(kind: ErrorKind): ErrorView['fix'] {
  const { action, title } = fixFor(kind);
  return { action, title };
}

export function modelLabel(services: Pick<Services, 'config'>): string {
  const settings = services.config.read();
  if (settings.endpoint.demo) return `Demo model (${settings.model})`;
  return settings.profile.name !== DEFAULT_PROFILE_NAME
    ? `${settings.profile.name} · ${settings.model}`
    : settings.model;
}

/**
 * Checks the endpoint without asking the user anything: a missing key for a hosted endpoint, an
 * invalid base URL, or a `GET /models` that fails in a way a chat request would too.
 */
export async function checkEndpoint(services: Services, signal: AbortSignal): Promise<ErrorView | undefined> {
  const { config, resolver, runner } = services;
  const settings = config.read();
  const { origin, baseUrl } = settings.endpoint;
  if (origin === undefined || baseUrl === undefined) {
    return {
      kind: 'config',
      message: settings.endpoint.problem ?? 'No endpoint is configured.',
      fix: panelFix('config'),
      retryable: false,
    };
  }
  const apiKey = await resolver.keyFor(origin, settings);
  if (apiKey === undefined && !isLocalOrigin(origin)) {
    return {
      kind: 'auth',
      message: `No API key is set for ${origin}. Set one to start chatting.`,
      fix: panelFix('auth'),
      retryable: false,
    };
  }
  // Over plain http to another machine a key is only sent after the user agrees: not for a check.
  if (apiKey !== undefined && keyWouldTravelInClear(origin)) return undefined;
  try {
    await runner.listModels(
      { baseUrl, apiKey, headers: settings.endpoint.headers },
      { signal, timeoutMs: CHECK_TIMEOUT_MS, label: 'chat panel check' },
    );
    return undefined;
  } catch (error) {
    const view = errorView(error, services);
    // Retry here means: check again.
    return CHECK_PROBLEMS.has(view.kind) ? { ...view, retryable: true } : undefined;
  }
}

export function panelStatus(
  services: Pick<Services, 'config'>,
  busy: boolean,
  problem: ErrorView | undefined,
): PanelStatus {
  const settings = services.config.read();
  const status: PanelStatus = { modelLabel: modelLabel(services), origin: settings.endpoint.origin, problem, busy };
  const overriddenBy = [
    ...(settings.endpoint.baseUrlSource === 'environment' ? ['STREAM_CHAT_BASE_URL'] : []),
    ...(settings.modelSource === 'environment' ? ['STREAM_CHAT_MODEL'] : []),
  ];
  if (overriddenBy.length > 0) status.overriddenBy = overriddenBy;
  return status;
}

/** Why a question was not sent: it does not fit the model's window even with every earlier turn left out. */
export function tooLongView({ fitted, window, reserve }: FittedRequest): ErrorView {
  const count = (tokens: number) => tokens.toLocaleString('en-US');
  const room = Math.max(0, window.tokens - reserve);
  return {
    kind: 'context-length',
    message:
      `Not sent: the question is about ${count(fitted.promptTokens)} tokens with its attachments (and the system ` +
      `prompt), more than the ${count(room)} the model's ${count(window.tokens)}-token window leaves after ` +
      `${count(reserve)} kept for the answer. Ask again with fewer or smaller attachments (a selection instead ` +
      'of the whole file) or a shorter question.',
    fix: panelFix('context-length'),
    retryable: false,
  };
}
