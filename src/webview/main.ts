// The chat panel (browser side). It renders what the host sends and tells the host what the user
// did; the conversation itself lives in the host (src/chat/chatSession.ts).
import type { AttachKind, FixAction, HostToWebview, PanelStatus, WebviewToHost } from '../protocol';
import { AttachmentBar } from './attachmentChips';
import { BudgetMeter } from './contextMeter';
import { button, el } from './dom';
import { USE_EXAMPLE_ACTION } from './emptyState';
import { QuestionEditor, questionText } from './questionEdit';
import type { StreamingMarkdownOptions } from './markdown';
import { codeWrapped, setCodeWrapped } from './markdownRender';
import { errorElement } from './turns';
import { Transcript } from './transcript';

declare function acquireVsCodeApi(): { postMessage(message: WebviewToHost): void };

const vscode = acquireVsCodeApi();
const post = (message: WebviewToHost): void => vscode.postMessage(message);

// The render benchmark's baselines set this before the bundle loads; users never do.
const baseline = document.body.dataset.renderMode;
const renderOptions: StreamingMarkdownOptions = {
  baseline: baseline === 'whole' || baseline === 'plain' ? baseline : undefined,
};

const modelButton = button({
  icon: 'hubot',
  label: 'Model',
  showLabel: true,
  className: 'model-button',
  action: 'select-model',
  title: 'Choose the model (Stream Chat: Select Model)',
});
// Shown when the endpoint or model in effect comes from the environment rather than from Settings.
const environmentTag = el('span', { class: 'environment-tag', hidden: true }, 'env');
modelButton.append(environmentTag);
// New Chat lives in the view's title bar (VS Code's own toolbar), not repeated here.
const header = el('header', { class: 'panel-header' }, modelButton);
const meter = new BudgetMeter();
header.append(el('span', { class: 'spacer' }), meter.element);
const attachmentBar = new AttachmentBar();
const notice = el('div', { class: 'panel-notice', hidden: true });
const scroller = el('main', { class: 'scroller', tabindex: '0', 'aria-label': 'Conversation' });
const transcript = new Transcript(scroller, renderOptions);
scroller.append(transcript.element);
const input = el('textarea', { class: 'input', rows: '1', placeholder: 'Ask a question…', 'aria-label': 'Message' });
const sendButton = button({ icon: 'send', label: 'Send', action: 'send', className: 'icon-button send' });
const stopButton = button({
  icon: 'stop-circle',
  label: 'Stop',
  title: 'Stop · Esc',
  action: 'stop',
  className: 'icon-button stop',
});
// Screen readers announce the shortcut with the name ("Stop, Escape").
stopButton.setAttribute('aria-keyshortcuts', 'Escape');
stopButton.hidden = true;
const composer = el('form', { class: 'composer' }, input, sendButton, stopButton);
const liveRegion = el('div', { class: 'sr-only', 'aria-live': 'polite', role: 'status' });
const questionEditor = new QuestionEditor(input, post);
document
  .getElementById('app')
  ?.append(header, notice, scroller, questionEditor.banner, attachmentBar.element, composer, liveRegion);

let busy = false;

const FIRST_RUN_FIXES: readonly (readonly [FixAction, string])[] = [
  ['selectEndpoint', 'Select Endpoint'],
  ['testConnection', 'Test Connection'],
];

function setStatus(status: PanelStatus): void {
  busy = status.busy;
  modelButton.querySelector('.label')!.textContent = status.modelLabel;
  const where = status.origin ? ` at ${status.origin}` : '';
  const overridden = status.overriddenBy ?? [];
  // The Settings editor shows values that are not in effect: say where the ones in use come from.
  const fromEnvironment =
    overridden.length > 0 ? `\nFrom the environment (${overridden.join(', ')}), not from Settings.` : '';
  modelButton.title = `Model: ${status.modelLabel}${where} — click to choose another${fromEnvironment}`;
  environmentTag.hidden = overridden.length === 0;
  sendButton.hidden = busy;
  stopButton.hidden = !busy;
  document.body.dataset.busy = String(busy);
  const problem = status.problem;
  notice.hidden = problem === undefined;
  if (problem === undefined) {
    notice.replaceChildren();
    return;
  }
  const panelNotice = errorElement(problem, false, 'recheck');
  // The first-run fixes, in place: whatever the problem suggests, plus choosing an endpoint and
  // testing it (each once).
  const buttons = panelNotice.querySelector('.notice-buttons')!;
  for (const [action, label] of FIRST_RUN_FIXES) {
    if (problem.fix?.action !== action)
      buttons.append(button({ label, showLabel: true, className: 'text-button', action: `fix:${action}` }));
  }
  notice.replaceChildren(panelNotice);
}

function send(): void {
  const text = input.value;
  if (text.trim() === '' || busy) return;
  const edited = questionEditor.take();
  post(edited !== undefined ? { type: 'edit-question', turnId: edited, text } : { type: 'send', text });
  input.value = '';
  meter.setDraft('');
  autosize();
}

/** An example question into the composer, to edit or send as it is (never sent by the click). */
function fillComposer(text: string): void {
  input.value = text;
  meter.setDraft(text);
  autosize();
  input.focus();
  input.setSelectionRange(text.length, text.length);
}

function autosize(): void {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 200)}px`;
}

function announce(text: string): void {
  liveRegion.textContent = text;
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'snapshot':
      questionEditor.cancel(); // another conversation: the question being edited is gone
      transcript.reset(message.turns);
      setStatus(message.status);
      break;
    case 'status':
      setStatus(message.status);
      break;
    case 'turns-added':
      transcript.add(message.turns);
      break;
    case 'delta':
      transcript.delta(message.requestId, message.channel, message.text);
      break;
    case 'content-was-reasoning':
      transcript.contentWasReasoning(message.requestId, message.text);
      break;
    case 'answer-ended':
      transcript.ended(message.turn);
      announce(
        message.turn.status === 'done'
          ? 'Answer complete.'
          : message.turn.status === 'stopped'
            ? 'Answer stopped.'
            : `Answer failed: ${message.turn.error?.message ?? ''}`,
      );
      break;
    case 'turns-removed':
      transcript.removeFrom(message.fromTurnId);
      break;
    case 'cleared':
      questionEditor.cancel();
      transcript.reset([]);
      input.focus();
      break;
    case 'focus-input':
      if (message.text !== undefined) input.value = message.text;
      meter.setDraft(input.value);
      input.focus();
      break;
    case 'attachments':
      attachmentBar.render(message.attachments);
      meter.setAttachments(message.attachments);
      break;
    case 'budget':
      meter.setBudget(message.budget);
      break;
    case 'view-options':
      setCodeWrapped(document, message.options.wrapCode);
      break;
  }
});

// One click handler for every button in the panel, including those inside rendered answers.
document.addEventListener('click', onClick);

function onClick(event: MouseEvent): void {
  const target = (event.target as Element | null)?.closest<HTMLElement>('[data-action], a[href]');
  if (target === null || target === undefined) return;
  if (target instanceof HTMLAnchorElement) {
    // Links never navigate the webview: the host opens http(s) ones through VS Code. VS Code's own
    // webview frame also opens clicked links (ignoring preventDefault), so the click stops here.
    event.preventDefault();
    event.stopPropagation();
    post({ type: 'open-link', href: target.href });
    return;
  }
  const action = target.dataset.action ?? '';
  if (action.startsWith('fix:')) post({ type: 'fix', action: action.slice(4) as FixAction });
  else if (action.startsWith('attach:')) post({ type: 'attach', what: action.slice(7) as AttachKind });
  else if (isHostAction(action)) post({ type: action });
  else if (isCodeAction(action)) postCode(action, target);
  else panelAction(action, target);
}

/** Buttons that only tell the host: the action is the message's type. */
const HOST_ACTIONS = [
  'stop',
  'new-chat',
  'select-model',
  'regenerate',
  'regenerate-with',
  'continue',
  'retry',
  'recheck',
  'retry-leaving-out',
] as const;
type HostAction = (typeof HOST_ACTIONS)[number];

function isHostAction(action: string): action is HostAction {
  return (HOST_ACTIONS as readonly string[]).includes(action);
}

/** The buttons of a code block in an answer, and the message each sends with the block's code. */
const CODE_ACTIONS = { copy: 'copy-code', insert: 'insert-code', open: 'open-code' } as const;
type CodeAction = keyof typeof CODE_ACTIONS;

function isCodeAction(action: string): action is CodeAction {
  return Object.prototype.hasOwnProperty.call(CODE_ACTIONS, action);
}

function postCode(action: CodeAction, target: HTMLElement): void {
  const block = target.closest<HTMLElement>('.code-block');
  const code = block?.querySelector('code')?.textContent ?? '';
  const type = CODE_ACTIONS[action];
  if (type === 'open-code') post({ type, code, language: block?.dataset.language });
  else post({ type, code });
}

/** Buttons handled in the panel itself (some then tell the host). */
function panelAction(action: string, target: HTMLElement): void {
  switch (action) {
    case 'send':
      send();
      break;
    case 'remove-attachment': {
      const id = target.closest<HTMLElement>('[data-attachment-id]')?.dataset.attachmentId;
      if (id !== undefined) post({ type: 'remove-attachment', id });
      input.focus();
      break;
    }
    case 'edit-question': {
      const question = target.closest<HTMLElement>('.turn.user');
      const turnId = question?.dataset.turnId;
      if (question !== null && turnId !== undefined && !busy) questionEditor.start(turnId, questionText(question));
      break;
    }
    case USE_EXAMPLE_ACTION:
      fillComposer(target.dataset.prompt ?? '');
      break;
    case 'cancel-edit':
      questionEditor.cancel();
      input.focus();
      break;
    case 'wrap-code': {
      // Shown at once; the host remembers it for every panel and window.
      const wrap = !codeWrapped(document);
      setCodeWrapped(document, wrap);
      post({ type: 'wrap-code', wrap });
      break;
    }
    case 'copy-answer': {
      const turnId = target.closest<HTMLElement>('.turn')?.dataset.turnId;
      const answer = turnId === undefined ? undefined : transcript.answerById(turnId);
      if (answer !== undefined) post({ type: 'copy-code', code: answer.answerText });
      break;
    }
  }
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  send();
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    send();
  }
});
input.addEventListener('input', () => {
  autosize();
  meter.setDraft(input.value);
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && busy) {
    event.preventDefault();
    post({ type: 'stop' });
  } else if (event.key === 'Escape' && questionEditor.editing) {
    event.preventDefault();
    questionEditor.cancel();
  }
});
window.addEventListener('focus', () => post({ type: 'focus', focused: true }));
window.addEventListener('blur', () => post({ type: 'focus', focused: false }));

// Counted for the end-to-end tests: model output must never trigger one.
let cspViolations = 0;
document.addEventListener('securitypolicyviolation', () => {
  cspViolations++;
  document.body.dataset.cspViolations = String(cspViolations);
});

autosize();
post({ type: 'ready' });
if (document.hasFocus()) post({ type: 'focus', focused: true });
