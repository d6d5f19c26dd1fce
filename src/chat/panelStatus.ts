// What the chat panel says about the endpoint before and after the user types: the model label, a
// problem found by a quick check (no key for a hosted endpoint, an endpoint that does not answer),
// and failures as the transcript shows them, each with the fix the notifications offer.
import { isLocalOrigin, keyWouldTravelInClear } from '../core/endpointPolicy';
import { toUserFacingError } from '../host/errorFixes';
import type { ErrorView, FixAction, PanelStatus } from '../protocol';
import type { Services } from '../host/services';

/** How long the panel's endpoint check may take before it gives up (it never blocks typing). */
const CHECK_TIMEOUT_MS = 5_000;

/** Failures a Retry button can help with (the same request may well succeed a moment later). */
const RETRYABLE = new Set([
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
const CHECK_PROBLEMS = new Set(['auth', 'network', 'timeout', 'not-event-stream', 'quota']);

export const FIX_COMMANDS: Record<FixAction, string> = {
  setApiKey: 'streamChat.setApiKey',
  selectEndpoint: 'streamChat.selectEndpoint',
  selectModel: 'streamChat.selectModel',
  testConnection: 'streamChat.testConnection',
  showLog: 'streamChat.showLog',
};

function fixFor(kind: string): ErrorView['fix'] {
  switch (kind) {
    case 'auth':
    case 'quota':
      return { action: 'setApiKey', title: 'Set API Key' };
    case 'model-not-found':
      return { action: 'selectModel', title: 'Select Model' };
    case 'network':
    case 'not-found':
    case 'not-event-stream':
    case 'config':
    case 'key-not-sent':
      return { action: 'selectEndpoint', title: 'Select Endpoint' };
    default:
      return { action: 'showLog', title: 'Show Log' };
  }
}

/** A failure as the panel shows it: redacted message, the fix, whether Retry makes sense. */
export function errorView(error: unknown, services: Services): ErrorView {
  const { kind, message } = toUserFacingError(error, (text) => services.log.redact(text));
  return { kind, message, fix: fixFor(kind), retryable: RETRYABLE.has(kind) };
}

export function modelLabel(services: Services): string {
  const settings = services.config.read();
  return settings.endpoint.demo ? `Demo model (${settings.model})` : settings.model;
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
      fix: fixFor('config'),
      retryable: false,
    };
  }
  const apiKey = await resolver.keyFor(origin, settings);
  if (apiKey === undefined && !isLocalOrigin(origin)) {
    return {
      kind: 'auth',
      message: `No API key is set for ${origin}. Set one to start chatting.`,
      fix: fixFor('auth'),
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

export function panelStatus(services: Services, busy: boolean, problem: ErrorView | undefined): PanelStatus {
  return { modelLabel: modelLabel(services), origin: services.config.read().endpoint.origin, problem, busy };
}
