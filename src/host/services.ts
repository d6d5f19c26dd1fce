// The long-lived pieces the commands share, built once in activate().
import type * as vscode from 'vscode';
import type { StreamChatConfig } from './config';
import type { EndpointResolver } from './endpointResolver';
import type { StreamChatLog } from './log';
import type { RequestRunner } from '../core/requestRunner';
import type { TokenCalibrations } from '../core/tokenCalibration';
import type { ApiKeyStore, PlainHttpKeyGuard } from './secrets';

export interface Services {
  config: StreamChatConfig;
  keys: ApiKeyStore;
  plainHttpGuard: PlainHttpKeyGuard;
  resolver: EndpointResolver;
  runner: RequestRunner;
  /** Each model's characters-per-token ratio, learned from the server's usage (the runner teaches it). */
  tokens: TokenCalibrations;
  log: StreamChatLog;
  focus: SurfaceFocus;
  /** Present only when the extension host runs tests (ExtensionMode.Test). */
  testHooks?: TestHooks;
}

/** Where the user is, as the surfaces report it; `streamChat.stop` reads it to stop the request they mean. */
export interface SurfaceFocus {
  /** Set by the chat view while its webview has focus. */
  chatViewFocused: boolean;
}

/** Lets integration tests drive UI that no test can click; never created outside test mode. */
export interface TestHooks {
  /** Fires with the model ids once the model quick pick has been filled from `GET /models`. */
  readonly onDidFillModelPick: vscode.Event<readonly string[]>;
  fireModelPickFilled(ids: readonly string[]): void;
  /** Fires with what a test posts as the chat panel's page could (any shape: the page renders model output). */
  readonly onDidPostFromChatPanel: vscode.Event<unknown>;
  /** Stands in for `vscode.env.openExternal`: records the link, opening no browser tab and no prompt. */
  openExternal(uri: vscode.Uri): Thenable<boolean>;
  /**
   * Whether VS Code is told our models changed on every settings or key change (each time it then
   * lists `/models`). Off in tests, whose servers count requests, except those about the models.
   */
  languageModelsFollowSettings: boolean;
}
