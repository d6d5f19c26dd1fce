// The status bar item: the active model when idle, tokens/s while a request streams; a click stops
// the running request (or, when idle, lets the user pick a model).
import * as vscode from 'vscode';
import { DEFAULT_PROFILE_NAME } from '../core/profiles';
import type { StreamChatConfig } from './config';
import type { RequestRunner } from '../core/requestRunner';
import type { ApiKeyStore } from './secrets';

const REFRESH_WHILE_STREAMING_MS = 250;
export const REQUEST_ACTIVE_CONTEXT = 'streamChat.requestActive';

/** What the item reads of the request runner (which loads with the surfaces, after activation). */
export type RequestActivity = Pick<RequestRunner, 'onDidChangeActivity' | 'activeRequests' | 'liveTokensPerSecond'>;

export class ModelStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private runner: RequestActivity | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ticker: NodeJS.Timeout | undefined;
  private keyNote = '';
  private wasBusy = false;
  private firstDraw: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: StreamChatConfig,
    private readonly keys: ApiKeyStore,
  ) {
    this.item = vscode.window.createStatusBarItem('streamChat.model', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Stream Chat Model';
    this.disposables.push(
      this.item,
      config.onDidChange(() => void this.refreshKeyNote()),
      keys.onDidChange(() => void this.refreshKeyNote()),
    );
    // Drawn just after activation rather than inside it: the first settings read is the costliest
    // step activation would otherwise take, and one task later is not visible.
    this.firstDraw = setTimeout(() => {
      this.firstDraw = undefined;
      this.render();
      this.item.show();
      void this.refreshKeyNote();
    }, 0);
  }

  /** Shows the runner's requests from now on; until then none can run (the surfaces are not loaded). */
  followRequests(runner: RequestActivity): void {
    this.runner = runner;
    this.disposables.push(runner.onDidChangeActivity(() => this.onActivity()));
  }

  /** What the item shows for the settings as they are now (for tests: the refresh after a change is async). */
  snapshot(): { text: string; tooltip: string; command?: string } {
    this.render();
    const { command, tooltip } = this.item;
    return {
      text: this.item.text,
      tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
      command: typeof command === 'string' ? command : command?.command,
    };
  }

  dispose(): void {
    clearTimeout(this.firstDraw);
    this.stopTicker();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private onActivity(): void {
    const busy = (this.runner?.activeRequests().length ?? 0) > 0;
    if (busy !== this.wasBusy) {
      this.wasBusy = busy;
      void vscode.commands.executeCommand('setContext', REQUEST_ACTIVE_CONTEXT, busy);
    }
    if (busy && !this.ticker) this.ticker = setInterval(() => this.render(), REFRESH_WHILE_STREAMING_MS);
    if (!busy) this.stopTicker();
    this.render();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private async refreshKeyNote(): Promise<void> {
    const settings = this.config.read();
    const origin = settings.endpoint.origin;
    if (origin === undefined) this.keyNote = '';
    else if (settings.endpoint.environmentApiKey !== undefined) this.keyNote = 'API key: from STREAM_CHAT_API_KEY';
    else this.keyNote = (await this.keys.has(origin)) ? 'API key: stored in secret storage' : 'API key: none';
    this.render();
  }

  private render(): void {
    const settings = this.config.read();
    const { endpoint } = settings;
    const modelLabel = endpoint.demo ? `Demo model (${settings.model})` : settings.model;
    const active = this.runner?.activeRequests() ?? [];

    const tooltip: string[] = [];

    if (active.length > 0) {
      const rate = this.runner?.liveTokensPerSecond();
      this.item.text = `$(loading~spin) ${rate !== undefined ? `${rate.toFixed(1)} tok/s` : 'waiting…'}`;
      this.item.command = { title: 'Stop', command: 'streamChat.stop' };
      this.item.backgroundColor = undefined;
      tooltip.push(`Streaming from ${active[0].origin} — click to stop`);
    } else if (endpoint.baseUrl === undefined) {
      this.item.text = '$(warning) Stream Chat';
      this.item.command = 'streamChat.selectEndpoint';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      tooltip.push(`${endpoint.problem ?? 'The base URL is not set'} — click to choose an endpoint`);
    } else {
      const named = settings.profile.name !== DEFAULT_PROFILE_NAME ? `${settings.profile.name} · ` : '';
      this.item.text = endpoint.demo ? `$(beaker) Demo model` : `$(hubot) ${named}${settings.model}`;
      this.item.command = 'streamChat.selectModel';
      this.item.backgroundColor = undefined;
      tooltip.push(`Stream Chat — ${modelLabel}`);
      tooltip.push(
        settings.profile.missing !== undefined
          ? `Profile "${settings.profile.missing}" no longer exists: using the Default profile`
          : `Profile: ${settings.profile.name} (Stream Chat: Select Profile… to switch)`,
      );
      const source = endpoint.baseUrlSource === 'environment' ? ' (from STREAM_CHAT_BASE_URL)' : '';
      tooltip.push(`Endpoint: ${endpoint.baseUrl}${source}`);
      if (this.keyNote) tooltip.push(this.keyNote);
      tooltip.push('Click to choose a model');
    }
    this.item.tooltip = tooltip.join('\n');
    this.item.accessibilityInformation = {
      label:
        active.length > 0
          ? `Stream Chat streaming, ${this.item.text}. Activate to stop.`
          : `Stream Chat model ${modelLabel}`,
    };
  }
}
