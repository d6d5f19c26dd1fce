// Checks what the chat webview posts before the host acts on it: the page is ours, but it renders
// model output, so every message is untrusted input. Records of the message types and of their
// enumerated fields, and an exhaustive switch, let the compiler prove the check covers every member
// of `WebviewToHost`. No 'vscode' import: unit-tested in plain Node.
import type { StreamChatLog } from '../host/log';
import type { AttachKind, FixAction, WebviewToHost } from '../protocol';

type MessageType = WebviewToHost['type'];

const MESSAGE_TYPES: Record<MessageType, true> = {
  ready: true,
  send: true,
  'start-edit': true,
  'cancel-edit': true,
  'edit-question': true,
  stop: true,
  regenerate: true,
  'regenerate-with': true,
  continue: true,
  retry: true,
  'new-chat': true,
  fix: true,
  recheck: true,
  'select-model': true,
  'open-link': true,
  'copy-code': true,
  'insert-code': true,
  'open-code': true,
  focus: true,
  attach: true,
  'remove-attachment': true,
  'retry-leaving-out': true,
  'wrap-code': true,
};

const ATTACH_KINDS: Record<AttachKind, true> = { file: true, selection: true, pick: true };

const FIX_ACTIONS: Record<FixAction, true> = {
  setApiKey: true,
  selectEndpoint: true,
  selectModel: true,
  testConnection: true,
  showLog: true,
};

/**
 * The message, or undefined once the log says why it was refused: never dropped silently (a message
 * the panel sends and the host refuses is a bug to find). The log redacts the line.
 */
export function readWebviewMessage(raw: unknown, log: Pick<StreamChatLog, 'warn'>): WebviewToHost | undefined {
  const checked = checkWebviewMessage(raw);
  if (checked.ok) return checked.message;
  log.warn(`Chat panel: ignored ${checked.problem}`);
  return undefined;
}

/** A message the host may act on, or what is wrong with it (for the log: names, never the texts). */
export type CheckedMessage = { ok: true; message: WebviewToHost } | { ok: false; problem: string };

export function checkWebviewMessage(raw: unknown): CheckedMessage {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, problem: `a message that is not an object (${describe(raw)})` };
  const fields = raw as Record<string, unknown>;
  if (!isOneOf(MESSAGE_TYPES, fields.type))
    return { ok: false, problem: `a message of unknown type (${describe(fields.type)})` };
  const message = parse(fields.type, fields);
  if (message === undefined)
    return { ok: false, problem: `a malformed "${fields.type}" message (${describeFields(fields)})` };
  return { ok: true, message };
}

/** The message with only the fields its type has, or undefined when one is missing or wrong. */
function parse(type: MessageType, fields: Record<string, unknown>): WebviewToHost | undefined {
  switch (type) {
    case 'ready':
    case 'stop':
    case 'regenerate':
    case 'regenerate-with':
    case 'continue':
    case 'retry':
    case 'new-chat':
    case 'select-model':
    case 'recheck':
    case 'retry-leaving-out':
    case 'cancel-edit':
      return { type };
    case 'send':
      return typeof fields.text === 'string' ? { type, text: fields.text } : undefined;
    case 'edit-question':
      return typeof fields.turnId === 'string' && typeof fields.text === 'string'
        ? { type, turnId: fields.turnId, text: fields.text }
        : undefined;
    case 'start-edit':
      return typeof fields.turnId === 'string' ? { type, turnId: fields.turnId } : undefined;
    case 'remove-attachment':
      return typeof fields.id === 'string' ? { type, id: fields.id } : undefined;
    case 'open-link':
      return typeof fields.href === 'string' ? { type, href: fields.href } : undefined;
    case 'copy-code':
    case 'insert-code':
      return typeof fields.code === 'string' ? { type, code: fields.code } : undefined;
    case 'open-code': {
      const language = typeof fields.language === 'string' ? fields.language : undefined;
      return typeof fields.code === 'string' ? { type, code: fields.code, language } : undefined;
    }
    case 'attach':
      return isOneOf(ATTACH_KINDS, fields.what) ? { type, what: fields.what } : undefined;
    case 'fix':
      return isOneOf(FIX_ACTIONS, fields.action) ? { type, action: fields.action } : undefined;
    case 'focus':
      return typeof fields.focused === 'boolean' ? { type, focused: fields.focused } : undefined;
    case 'wrap-code':
      return typeof fields.wrap === 'boolean' ? { type, wrap: fields.wrap } : undefined;
    default: {
      // Does not compile while a member of WebviewToHost has no case above.
      const uncovered: never = type;
      return uncovered;
    }
  }
}

function isOneOf<K extends string>(members: Record<K, true>, value: unknown): value is K {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(members, value);
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** A string's start (quoted), else the kind of the value: the log line stays short. */
function describe(value: unknown): string {
  if (typeof value !== 'string') return kindOf(value);
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** The fields besides `type`, each with the kind of its value (`text: number, extra: string`). */
function describeFields(fields: Record<string, unknown>): string {
  const names = Object.keys(fields).filter((name) => name !== 'type');
  if (names.length === 0) return 'no other fields';
  const shown = names.slice(0, 8).map((name) => `${JSON.stringify(name.slice(0, 40))}: ${kindOf(fields[name])}`);
  return shown.join(', ') + (names.length > 8 ? `, … (${names.length} fields)` : '');
}
