// "Stream Chat: Test Connection": GET /models, then a short streamed completion; resolves with a
// report object (for automation and tests) and shows a one-line summary.
import * as vscode from 'vscode';
import { ChatError } from '../api';
import { prepareRequest } from '../core/requestPreparation';
import { type ResolvedEndpoint } from '../host/endpointResolver';
import { fixFor, showErrorWithFix, toUserFacingError } from '../host/errorFixes';
import { tokensPerSecond } from '../core/requestStats';
import type { Services } from '../host/services';
import { reportMarkdown, type ConnectionReport } from './connectionReport';

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
  const fix = fixFor(report.error?.kind);
  const markdown = reportMarkdown(report, report.ok ? undefined : fix);
  const showReport = { title: SHOW_REPORT, run: () => void openReport(markdown) };
  if (report.ok) {
    void vscode.window.showInformationMessage(summary, SHOW_REPORT).then((choice) => {
      if (choice === SHOW_REPORT) showReport.run();
    });
  } else if (report.error?.kind === 'aborted') {
    void vscode.window.showWarningMessage(summary);
  } else {
    showErrorWithFix(summary, fix, log, [showReport]);
  }
  return report;
}

const SHOW_REPORT = 'Show Report';

/** The whole report in an untitled Markdown editor: every check, the figures, the fix; copyable. */
async function openReport(markdown: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(document, { preview: false });
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
