// "Stream Chat: Test Connection": GET /models, then a short streamed completion; resolves with a
// report object (for automation and tests) and shows a one-line summary.
import * as vscode from 'vscode';
import { ChatError, type ReasoningSource } from '../api';
import { prepareRequest } from '../core/requestPreparation';
import { type ResolvedEndpoint } from '../host/endpointResolver';
import { fixFor, showErrorWithFix, toUserFacingError, type UserFacingError } from '../host/errorFixes';
import { tokensPerSecond } from '../core/requestStats';
import type { Services } from '../host/services';

export interface ConnectionReport {
  ok: boolean;
  baseUrl: string;
  origin?: string;
  model: string;
  demo: boolean;
  /** How many models `GET /models` listed (undefined when it failed). */
  modelsListed?: number;
  /** Whether the configured model is among them. */
  modelListed?: boolean;
  /** Whether an API key was attached (only ever to `origin`). */
  authSent: boolean;
  timeToFirstTokenMs?: number;
  tokensPerSecond?: number;
  /** A usage chunk (`stream_options.include_usage`) arrived. */
  usageChunk: boolean;
  reasoningField?: ReasoningSource;
  finishReason?: string;
  /** The model the server says answered, when it is not the one asked for (hosted aliases fail over). */
  respondedModel?: string;
  /** Headers in `streamChat.headers` that were not sent, with the reason (also logged). */
  ignoredHeaders?: { name: string; problem: string }[];
  /** Why `GET /models` failed when the completion still worked (some servers lack it). */
  modelsError?: UserFacingError;
  error?: UserFacingError;
}

/** Failures of `GET /models` after which a completion cannot work either. */
const FATAL_LIST_ERRORS = new Set(['auth', 'network', 'timeout', 'aborted', 'quota']);
const PROBE_PROMPT = 'Reply with one short sentence to confirm you are reachable.';
const PROBE_MAX_TOKENS = 48;

export function registerTestConnectionCommand(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('streamChat.testConnection', () => testConnection(services));
}

async function testConnection(services: Services): Promise<ConnectionReport> {
  const { resolver, config, log } = services;
  const redact = log.redact.bind(log);
  const settings = config.read();
  let resolved: ResolvedEndpoint;
  try {
    resolved = await resolver.resolve();
  } catch (error) {
    const report: ConnectionReport = {
      ok: false,
      baseUrl: settings.endpoint.baseUrl ?? settings.endpoint.configuredBaseUrl,
      origin: settings.endpoint.origin,
      model: settings.model,
      demo: settings.endpoint.demo,
      authSent: false,
      usageChunk: false,
      error: toUserFacingError(error, redact),
    };
    return finish(services, report);
  }

  const report = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Stream Chat: testing ${resolved.origin}`,
      cancellable: true,
    },
    (progress, token) => probe(services, resolved, progress, token),
  );
  return finish(services, report);
}

async function probe(
  services: Services,
  resolved: ResolvedEndpoint,
  progress: vscode.Progress<{ message?: string }>,
  token: vscode.CancellationToken,
): Promise<ConnectionReport> {
  const { endpoint, origin, model, demo } = resolved;
  const cancel = new AbortController();
  const onCancel = token.onCancellationRequested(() => cancel.abort());
  const report: ConnectionReport = {
    ok: false,
    baseUrl: endpoint.baseUrl,
    origin,
    model,
    demo,
    authSent: endpoint.apiKey !== undefined,
    usageChunk: false,
  };

  try {
    progress.report({ message: 'listing models…' });
    if (!(await probeModelList(services, resolved, report, cancel.signal))) return report;
    progress.report({ message: `streaming a short reply from ${model}…` });
    await probeCompletion(services, resolved, report, cancel.signal);
    report.ok = report.error === undefined;
    return report;
  } finally {
    onCancel.dispose();
  }
}

/** `GET /models` into the report; false when its failure means a completion cannot work either. */
async function probeModelList(
  services: Services,
  resolved: ResolvedEndpoint,
  report: ConnectionReport,
  signal: AbortSignal,
): Promise<boolean> {
  const { runner, log } = services;
  try {
    const models = await runner.listModels(resolved.endpoint, {
      signal,
      timeoutMs: resolved.settings.idleTimeoutMs,
      label: 'test connection',
    });
    report.modelsListed = models.length;
    report.modelListed = models.some((entry) => entry.id === resolved.model);
    return true;
  } catch (error) {
    const problem = toUserFacingError(error, log.redact.bind(log));
    if (FATAL_LIST_ERRORS.has(problem.kind) || signal.aborted) {
      report.error = problem;
      return false;
    }
    report.modelsError = problem;
    return true;
  }
}

/** A short streamed completion; what happened (error, timings, usage, reasoning, finish) goes into the report. */
async function probeCompletion(
  services: Services,
  resolved: ResolvedEndpoint,
  report: ConnectionReport,
  signal: AbortSignal,
): Promise<void> {
  const { runner, log } = services;
  const redact = log.redact.bind(log);
  const { endpoint, model, settings } = resolved;
  // The request the user's settings produce (system prompt, temperature…), kept short; a probe
  // reports what happens, so no retries to hide it.
  const prepared = prepareRequest(settings, [{ role: 'user', content: PROBE_PROMPT }], {
    maxTokens: PROBE_MAX_TOKENS,
    maxRetries: 0,
  });
  const stream = runner.start({
    owner: 'test connection',
    endpoint,
    request: prepared.request,
    options: { ...prepared.options, signal },
  });
  const answer = await stream.collect();
  if (answer.error) report.error = toUserFacingError(answer.error, redact);
  else if (answer.stopped)
    report.error = toUserFacingError(new ChatError({ kind: 'aborted', message: 'Request cancelled.' }), redact);
  if (answer.respondedModel !== undefined && answer.respondedModel !== model)
    report.respondedModel = answer.respondedModel;
  const { stats } = stream;
  if (stats.firstTokenAt !== undefined) report.timeToFirstTokenMs = Math.round(stats.firstTokenAt - stats.startedAt);
  const rate = tokensPerSecond(stats);
  if (rate !== undefined) report.tokensPerSecond = Math.round(rate * 10) / 10;
  report.usageChunk = stats.usageChunk;
  report.reasoningField = stats.reasoningSource;
  report.finishReason = stats.finishReason;
}

function finish(services: Services, report: ConnectionReport): ConnectionReport {
  const { log } = services;
  if (report.error && report.origin && !mentionsHost(report.error.message, report.origin)) {
    report.error = { ...report.error, message: `${report.error.message} (${report.origin})` };
  }
  const { ignoredHeaders } = services.config.read().endpoint;
  if (ignoredHeaders.length > 0) report.ignoredHeaders = ignoredHeaders;
  log.info(`Test connection report: ${JSON.stringify(report)}`);
  const summary = summarise(report);
  if (report.ok) {
    void vscode.window.showInformationMessage(summary);
  } else if (report.error?.kind === 'aborted') {
    void vscode.window.showWarningMessage(summary);
  } else {
    showErrorWithFix(summary, fixFor(report.error?.kind), log);
  }
  return report;
}

/**
 * The notification text; the e2e test reads its start ("Stream Chat: Connected to …" / "Stream Chat: Connection
 * failed —").
 */
export function summarise(report: ConnectionReport): string {
  if (!report.ok) {
    if (report.error?.kind === 'aborted') return 'Stream Chat: Connection test cancelled.';
    const headers = report.ignoredHeaders?.length ? ` (${headersNotSent(report.ignoredHeaders)})` : '';
    return `Stream Chat: Connection failed — ${report.error?.message ?? 'unknown error'}${headers}`;
  }
  const parts: string[] = [];
  const modelName = report.demo ? `Demo model (${report.model})` : `model ${report.model}`;
  parts.push(report.modelListed === false ? `${modelName} (not in the server's model list)` : modelName);
  if (report.respondedModel) parts.push(`answered by ${report.respondedModel}`);
  if (report.timeToFirstTokenMs !== undefined) parts.push(`first token ${report.timeToFirstTokenMs} ms`);
  if (report.tokensPerSecond !== undefined) parts.push(`${report.tokensPerSecond} tok/s`);
  parts.push(report.usageChunk ? 'usage reported' : 'no usage chunk');
  if (report.reasoningField) parts.push(`reasoning via ${report.reasoningField}`);
  if (report.finishReason && report.finishReason !== 'stop' && report.finishReason !== 'length')
    parts.push(`finish: ${report.finishReason}`);
  parts.push(report.authSent ? 'API key sent' : 'no API key');
  if (report.ignoredHeaders?.length) parts.push(headersNotSent(report.ignoredHeaders));
  return `Stream Chat: Connected to ${report.origin} — ${parts.join(' · ')}`;
}

function headersNotSent(headers: readonly { name: string }[]): string {
  return `headers not sent: ${headers.map((header) => JSON.stringify(header.name)).join(', ')} — see the log`;
}

function mentionsHost(message: string, origin: string): boolean {
  const { host, hostname } = new URL(origin);
  return message.includes(host) || message.includes(hostname);
}
