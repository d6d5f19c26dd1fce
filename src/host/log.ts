// The "Stream Chat" log output channel. Every line passes through redaction first, so neither the
// key nor anything that looks like one can reach the channel (or the recent-lines buffer tests read).
import * as vscode from 'vscode';
import { redactSecrets } from '../api';
import type { RequestLogEntry } from '../core/requestStats';

const RECENT_LINES = 500;

export class StreamChatLog implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly recent: string[] = [];
  /** Secret values seen this session; held only in memory, used only to scrub text. */
  private readonly secrets = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel('Stream Chat', { log: true });
  }

  /** Registers a secret value so it is scrubbed from every later line and message. */
  addSecret(value: string | undefined): void {
    if (value) this.secrets.add(value);
  }

  /** Scrubs secrets from text that will be shown to the user (notifications, reports). */
  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  info(message: string): void {
    this.channel.info(this.remember(message));
  }

  warn(message: string): void {
    this.channel.warn(this.remember(message));
  }

  error(message: string): void {
    this.channel.error(this.remember(message));
  }

  request(entry: RequestLogEntry): void {
    const parts = [`${entry.method} ${entry.url} → ${entry.status ?? entry.outcome ?? '—'}`];
    if (entry.status !== undefined && entry.outcome) parts[0] += ` (${entry.outcome})`;
    if (entry.timeToFirstTokenMs !== undefined) parts.push(`TTFT ${Math.round(entry.timeToFirstTokenMs)} ms`);
    parts.push(`${Math.round(entry.durationMs)} ms`);
    if (entry.tokens !== undefined) {
      const rate = entry.tokensPerSecond !== undefined ? ` (${entry.tokensPerSecond.toFixed(1)} tok/s)` : '';
      parts.push(`${entry.tokens} tokens${rate}`);
    }
    if (entry.detail) parts.push(entry.detail);
    const line = parts.join(' · ');
    const failed =
      entry.status === undefined ? entry.outcome !== undefined && entry.outcome !== 'ok' : entry.status >= 400;
    if (failed) this.warn(line);
    else this.info(line);
  }

  show(): void {
    this.channel.show(true);
  }

  /** The most recent lines, already redacted (for tests and bug reports). */
  recentLines(): readonly string[] {
    return [...this.recent];
  }

  dispose(): void {
    this.secrets.clear();
    this.channel.dispose();
  }

  private remember(message: string): string {
    const line = this.redact(message);
    this.recent.push(line);
    if (this.recent.length > RECENT_LINES) this.recent.splice(0, this.recent.length - RECENT_LINES);
    return line;
  }
}
