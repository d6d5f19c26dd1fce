// Messages between the extension host and the chat webview, imported by both bundles: it imports
// types only, and only from src/api (erased at build time, so the webview bundle pulls in no host or
// client code). The host owns the conversation; the webview renders it. Every message is a member
// of a discriminated union; stream messages carry the requestId of the answer they belong to.
import type { ChatErrorKind } from './api/types';

/**
 * The host posts an answer's deltas when its last post has reached the webview, and at the latest
 * this many ms after the text arrived (an animation frame at 60 Hz); a message per channel.
 */
export const DELTA_POST_INTERVAL_MS = 16;

/** How an answer turn stands. */
export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'error';

/** A fix the panel can offer; each maps to one `streamChat.*` command on the host side. */
export type FixAction = 'setApiKey' | 'selectEndpoint' | 'selectModel' | 'testConnection' | 'showLog';

/** Why the configured endpoint cannot be used (the host's `EndpointError`, src/host/endpointResolver.ts). */
export type EndpointErrorKind = 'config' | 'key-not-sent';

/**
 * Every kind of failure shown to the user: the client's, the endpoint's, and `unexpected` (anything
 * else thrown). The panel's own findings (a question too long, no key, no endpoint) reuse these.
 */
export type ErrorKind = ChatErrorKind | EndpointErrorKind | 'unexpected';

/** Written as a record so the compiler proves the list names every kind, and nothing else. */
const ERROR_KIND_NAMES: Record<ErrorKind, true> = {
  auth: true,
  'model-not-found': true,
  'not-found': true,
  'context-length': true,
  'rate-limit': true,
  quota: true,
  'bad-request': true,
  server: true,
  network: true,
  timeout: true,
  'not-event-stream': true,
  'stream-error': true,
  malformed: true,
  interrupted: true,
  incomplete: true,
  'too-large': true,
  aborted: true,
  config: true,
  'key-not-sent': true,
  unexpected: true,
};

export const ERROR_KINDS = Object.keys(ERROR_KIND_NAMES) as readonly ErrorKind[];

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_KIND_NAMES, value);
}

/** A failure shown in the transcript (or as the first-run notice). Messages are already redacted. */
export interface ErrorView {
  kind: ErrorKind;
  message: string;
  /** The command most likely to fix it (src/host/errorFixes.ts chooses it per kind). */
  fix?: { action: FixAction; title: string };
  /** A Retry button makes sense (network faults, timeouts, rate limits, server errors). */
  retryable: boolean;
  /** The prompt was too long and earlier turns can be left out: offer "Leave out older turns and retry". */
  leaveOutRetry?: boolean;
}

/** Measurements shown under a finished answer. */
export interface AnswerFooter {
  timeToFirstTokenMs?: number;
  tokensPerSecond?: number;
  promptTokens?: number;
  completionTokens?: number;
  finishReason?: string;
  /** The model asked for. */
  model: string;
  /** Set only when the server says another model answered (hosted aliases fail over). */
  respondedModel?: string;
  /** Milliseconds from the first to the last reasoning delta. */
  reasoningMs?: number;
}

/** Code that travels with a question (an ask command's selection, an attached file), fenced with its path. */
export interface CodeSnippet {
  /** Workspace-relative path, or the untitled document's name. */
  path: string;
  languageId: string;
  /** 1-based, inclusive; absent for a whole file. */
  range?: { startLine: number; endLine: number };
  code: string;
  /** Estimated tokens of the snippet as sent (src/shared/snippets.ts). */
  tokens: number;
  /** What part of the file it is when not simply the selection: `enclosing function greet`, `line 12`, `whole file`. */
  description?: string;
}

export interface UserTurnView {
  role: 'user';
  id: string;
  /** What the user asked (for an ask command, its instruction). */
  text: string;
  /** Code sent with the question, shown compactly (label, collapsible code). */
  snippets?: CodeSnippet[];
  /**
   * An ask command's short name for the question (`Find Bugs · src/inventory.ts:8-14`): shown in
   * place of the instruction, which folds away like the code.
   */
  label?: string;
}

export interface AssistantTurnView {
  role: 'assistant';
  id: string;
  /** The request streaming (or that streamed) this answer. */
  requestId: number;
  content: string;
  reasoning: string;
  status: TurnStatus;
  footer?: AnswerFooter;
  error?: ErrorView;
  /** Restored from history after the window closed (reload, crash) while it streamed: status is 'stopped'. */
  interrupted?: boolean;
  /** Said above the answer when earlier turns were left out of its request (the context budget). */
  contextNote?: string;
}

export type TurnView = UserTurnView | AssistantTurnView;

/** What the panel header and the first-run notice show. */
export interface PanelStatus {
  /** e.g. `vllm-primary`, or `Demo model (demo-model)`. */
  modelLabel: string;
  /** The endpoint's origin, for the tooltip. */
  origin?: string;
  /**
   * Where the endpoint or model in effect comes from when not from Settings (the Settings editor then
   * shows values that are not used): e.g. `STREAM_CHAT_BASE_URL`, `STREAM_CHAT_MODEL`.
   */
  overriddenBy?: string[];
  /** A problem found before the user typed (no key for a hosted endpoint, a failed check). */
  problem?: ErrorView;
  /** A request of the chat is streaming. */
  busy: boolean;
}

/** The panel's layout choices the user makes in it. */
export interface ViewOptions {
  /** Code blocks wrap long lines instead of scrolling sideways (narrow sidebars). */
  wrapCode: boolean;
}

/** A file or selection waiting to go with the next question (the host owns the list). */
export interface AttachmentView extends CodeSnippet {
  id: string;
}

/** What the panel's context meter shows; the panel adds its attachments and draft (estimated). */
export interface BudgetView {
  /** The model's context window in tokens. */
  window: number;
  /** Where `window` came from: the server's `/models`, a context-length error, or the setting. */
  windowSource: 'server' | 'error' | 'setting';
  /** The conversation so far (system prompt included), in tokens. */
  conversationTokens: number;
  /** `conversationTokens` was counted by the server (the last answer's prompt and completion tokens), not estimated. */
  measured: boolean;
  /** Tokens kept free for the answer. */
  reserve: number;
  /** The model's characters per token, learned from the server's counts: the panel estimates the draft with it. */
  charsPerToken: number;
}

/** Which part of an answer a delta extends: the answer itself, or its Thinking section. */
export type DeltaChannel = 'content' | 'reasoning';

export type HostToWebview =
  /** The whole conversation: after `ready` (first show, re-created view), then only deltas. */
  | { type: 'snapshot'; turns: TurnView[]; status: PanelStatus }
  | { type: 'status'; status: PanelStatus }
  /** A question and the (empty, streaming) answer it starts. */
  | { type: 'turns-added'; turns: TurnView[] }
  /** Text of one channel that arrived since the last post for this answer (coalesced: posted once per frame). */
  | { type: 'delta'; requestId: number; channel: DeltaChannel; text: string }
  /** All content so far was really reasoning (a lone `</think>`): move it into the Thinking section. */
  | { type: 'content-was-reasoning'; requestId: number; text: string }
  /** The answer ended; `turn` is its final state (text included, so nothing can be lost). */
  | { type: 'answer-ended'; requestId: number; turn: AssistantTurnView }
  /** Turns from `fromTurnId` on were removed (regenerate, continue replaces nothing: it appends). */
  | { type: 'turns-removed'; fromTurnId: string }
  | { type: 'cleared' }
  /** Put this text in the input box (e.g. after a failed send) and focus it. */
  | { type: 'focus-input'; text?: string }
  /** The attachments waiting for the next question (all of them, after every change). */
  | { type: 'attachments'; attachments: AttachmentView[] }
  | { type: 'budget'; budget: BudgetView }
  /** How the panel lays out what it shows (remembered by the host across windows). */
  | { type: 'view-options'; options: ViewOptions };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  /** The user began editing the question `turnId` (its code becomes the attachment chips). */
  | { type: 'start-edit'; turnId: string }
  /** The edit ended without sending (Cancel, Esc, another conversation). */
  | { type: 'cancel-edit' }
  /** Ask an edited version of the question `turnId`, with the chips; the turns from it on are replaced. */
  | { type: 'edit-question'; turnId: string; text: string }
  /** Stop the chat's running answer (button, Esc). */
  | { type: 'stop' }
  | { type: 'regenerate' }
  /** Regenerate the last answer with a model the user picks (for that answer only). */
  | { type: 'regenerate-with' }
  /** Ask the model to go on after `finish_reason: length`. */
  | { type: 'continue' }
  /** Send the question of a failed answer again. */
  | { type: 'retry' }
  | { type: 'new-chat' }
  | { type: 'fix'; action: FixAction }
  /** Check the endpoint again (the Retry of the panel's notice). */
  | { type: 'recheck' }
  | { type: 'select-model' }
  /** A link in an answer was clicked; the host opens http(s) only, through VS Code's link protection. */
  | { type: 'open-link'; href: string }
  | { type: 'copy-code'; code: string }
  | { type: 'insert-code'; code: string }
  | { type: 'open-code'; code: string; language?: string }
  /** The panel gained or lost focus (so `streamChat.stop` knows where the user is). */
  | { type: 'focus'; focused: boolean }
  /** Attach the active editor's file, its selection, or a workspace file chosen in a quick pick. */
  | { type: 'attach'; what: AttachKind }
  | { type: 'remove-attachment'; id: string }
  /** Ask the failed question again with older turns left out (after a context-length error). */
  | { type: 'retry-leaving-out' }
  /** The user turned line wrapping in code blocks on or off (one choice for every block, remembered). */
  | { type: 'wrap-code'; wrap: boolean };

export type AttachKind = 'file' | 'selection' | 'pick';
