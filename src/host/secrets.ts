// API keys: kept only in VS Code's SecretStorage, one per origin, and the user's consent before a
// key travels over plain http:// to another machine.
import * as vscode from 'vscode';
import { apiKeySecretName } from '../core/endpointPolicy';
import type { StreamChatLog } from './log';

export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when any Stream Chat key was stored or removed (in this or another window). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: StreamChatLog,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith(apiKeySecretName(''))) this.changed.fire();
    });
  }

  async get(origin: string): Promise<string | undefined> {
    const key = await this.secrets.get(apiKeySecretName(origin));
    // Known to the log from now on, so it is scrubbed even if a server echoes it back.
    this.log.addSecret(key);
    return key === '' ? undefined : key;
  }

  async has(origin: string): Promise<boolean> {
    return (await this.get(origin)) !== undefined;
  }

  async set(origin: string, key: string): Promise<void> {
    this.log.addSecret(key);
    await this.secrets.store(apiKeySecretName(origin), key);
    this.log.info(`API key stored for ${origin} (secret storage)`);
  }

  async clear(origin: string): Promise<void> {
    await this.secrets.delete(apiKeySecretName(origin));
    this.log.info(`API key removed for ${origin}`);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export type PlainHttpAnswer = 'send' | 'decline';

/**
 * Asks once per origin and session before a key is sent over plain http:// to a non-loopback host.
 * Concurrent requests to the same origin share one question.
 */
export class PlainHttpKeyGuard {
  private readonly allowed = new Set<string>();
  private readonly pending = new Map<string, Promise<boolean>>();
  /** Test mode only: answers the question without showing a modal nobody can click. */
  scriptedAnswer: PlainHttpAnswer | undefined;

  constructor(private readonly log: StreamChatLog) {}

  async mayCarryKey(origin: string): Promise<boolean> {
    if (this.allowed.has(origin)) return true;
    let question = this.pending.get(origin);
    if (!question) {
      question = this.ask(origin).finally(() => this.pending.delete(origin));
      this.pending.set(origin, question);
    }
    return question;
  }

  /** The user already chose "Send Anyway" for `origin` (nothing is asked). */
  allows(origin: string): boolean {
    return this.allowed.has(origin);
  }

  /** Forget earlier "send anyway" answers (tests, and when the user clears a key). */
  forget(origin?: string): void {
    if (origin === undefined) this.allowed.clear();
    else this.allowed.delete(origin);
  }

  private async ask(origin: string): Promise<boolean> {
    const send = 'Send Anyway';
    const answer =
      this.scriptedAnswer !== undefined
        ? this.scriptedAnswer
        : (await vscode.window.showWarningMessage(
              `Send your API key to ${origin} over plain http?`,
              {
                modal: true,
                detail: `${origin} is not on this machine and the connection is not encrypted: anyone on the network path can read the key. Use https:// if the server supports it.`,
              },
              send,
            )) === send
          ? 'send'
          : 'decline';
    this.log.warn(
      `Plain-http key warning for ${origin}: user chose ${answer === 'send' ? 'send anyway' : 'not to send the key'}`,
    );
    if (answer === 'send') this.allowed.add(origin);
    return answer === 'send';
  }
}
