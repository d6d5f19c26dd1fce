// The whole Test Connection report as Markdown: each check, passed or failed, with its figures, and
// the fix for a failure, to read and copy in an editor (the notification has room for one line).
// No 'vscode' import: unit-tested in plain Node.
import type { ReasoningSource } from '../api';
import type { Fix, UserFacingError } from '../host/errorFixes';

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

const PASSED = '✓';
const FAILED = '✗';
const NOTE = '–';

/** The report as a Markdown document: endpoint, one line per check, then the fix. */
export function reportMarkdown(report: ConnectionReport, fix?: Pick<Fix, 'title' | 'command'>): string {
  const where = report.demo ? `${report.baseUrl} (demo server)` : report.baseUrl;
  const verdict = report.ok ? 'connected' : report.error?.kind === 'aborted' ? 'cancelled' : 'failed';
  const lines = [
    `# Stream Chat: Test Connection — ${verdict}`,
    '',
    `- Base URL: \`${where}\``,
    `- Model: \`${report.model}\``,
    '',
    '## Checks',
    '',
    ...checks(report).map((check) => `- ${check}`),
  ];
  if (report.error !== undefined && report.error.kind !== 'aborted') {
    lines.push('', '## What went wrong', '', report.error.message);
    if (fix !== undefined) lines.push('', `Fix: **${fix.title}** (command \`${fix.command}\`).`);
  }
  return `${lines.join('\n')}\n`;
}

function checks(report: ConnectionReport): string[] {
  const failedAt = failedStep(report);
  return [
    ...modelListCheck(report, failedAt),
    report.authSent ? `${PASSED} API key sent, to ${report.origin ?? 'the endpoint'} only` : `${NOTE} No API key sent`,
    ...completionChecks(report, failedAt),
    ...(report.ignoredHeaders ?? []).map((header) => `${FAILED} Header \`${header.name}\` not sent: ${header.problem}`),
  ];
}

/** Where a failed test stopped: the endpoint settings, the model list, or the streamed reply. */
function failedStep(report: ConnectionReport): 'settings' | 'models' | 'completion' | undefined {
  if (report.error === undefined) return undefined;
  if (report.origin === undefined) return 'settings';
  const listed = report.modelsListed !== undefined || report.modelsError !== undefined;
  return listed ? 'completion' : 'models';
}

function modelListCheck(report: ConnectionReport, failedAt: ReturnType<typeof failedStep>): string[] {
  if (failedAt === 'settings') return [`${FAILED} Endpoint settings: ${report.error?.message ?? ''}`];
  if (failedAt === 'models') return [`${FAILED} GET /models: ${report.error?.message ?? ''}`];
  if (report.modelsError !== undefined) {
    return [`${NOTE} GET /models failed (some servers do not offer it): ${report.modelsError.message}`];
  }
  if (report.modelsListed === undefined) return [];
  const listed =
    report.modelListed === false ? `\`${report.model}\` is not among them` : `\`${report.model}\` is among them`;
  return [`${PASSED} GET /models: ${report.modelsListed} ${report.modelsListed === 1 ? 'model' : 'models'}; ${listed}`];
}

function completionChecks(report: ConnectionReport, failedAt: ReturnType<typeof failedStep>): string[] {
  if (failedAt === 'settings' || failedAt === 'models') return [`${NOTE} Streamed reply: not tried`];
  if (failedAt === 'completion') return [`${FAILED} Streamed reply: ${report.error?.message ?? ''}`];
  const figures: string[] = [];
  if (report.timeToFirstTokenMs !== undefined) figures.push(`first token ${report.timeToFirstTokenMs} ms`);
  if (report.tokensPerSecond !== undefined) figures.push(`${report.tokensPerSecond} tok/s`);
  if (report.finishReason !== undefined) figures.push(`finish: ${report.finishReason}`);
  if (report.respondedModel !== undefined) figures.push(`answered by \`${report.respondedModel}\``);
  return [
    `${PASSED} Streamed reply${figures.length > 0 ? `: ${figures.join(' · ')}` : ''}`,
    report.usageChunk
      ? `${PASSED} Token usage reported (the context meter shows the server's count)`
      : `${NOTE} No token usage reported (the context meter estimates)`,
    ...(report.reasoningField !== undefined ? [`${NOTE} Reasoning arrives in \`${report.reasoningField}\``] : []),
  ];
}
