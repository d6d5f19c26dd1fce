// The chat's history: every conversation of the panel saved as it changes (src/history/saver.ts)
// into the extension's storage (src/history/store.ts), the last one restored at startup, and the
// operations the history list offers (open, rename, delete and undo). Problems with files are
// reported by name, never thrown at the panel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatSession } from '../chat/chatSession';
import { Conversation, lastAnswerFooter, type ConversationData } from '../core/conversation';
import { isDefaultProfile } from '../core/profiles';
import { SECTION } from '../host/config';
import type { Services } from '../host/services';
import { ConversationSaver } from './saver';
import {
  ConversationStore,
  DEFAULT_MAX_CONVERSATION_BYTES,
  formatBytes,
  type LoadProblem,
  type SaveResult,
} from './store';

/** The history's folder inside the extension's global storage. */
export const HISTORY_FOLDER = 'conversations';
export const DEFAULT_MAX_CONVERSATIONS = 100;

export interface ChatHistoryOptions {
  maxBytes?: number;
  /** Mid-stream save interval (tests shorten it). */
  streamingSaveIntervalMs?: number;
}

export class ChatHistory implements vscode.Disposable {
  readonly store: ConversationStore;
  private readonly saver: ConversationSaver;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly savedEmitter = new vscode.EventEmitter<ConversationData>();
  /** Fires after each write with what was written. */
  readonly onDidSave = this.savedEmitter.event;
  private readonly problemsEmitter = new vscode.EventEmitter<readonly LoadProblem[]>();
  /** Fires when history files could not be read (after they were reported to the user). */
  readonly onDidReportProblems = this.problemsEmitter.event;
  private readonly prunedEmitter = new vscode.EventEmitter<readonly string[]>();
  /** Fires after old conversations were deleted to keep `streamChat.history.maxConversations`, with their ids. */
  readonly onDidPrune = this.prunedEmitter.event;
  /**
   * Ids written this session: the first write of each may pass the limit, so it prunes. Pruned and
   * deleted ids are forgotten (with their warnings), so a long session keeps only what is on disk.
   */
  private readonly known = new Set<string>();
  /** Conversations already warned about the size limit, and about failed saves. */
  private readonly sizeWarned = new Set<string>();
  private readonly saveWarned = new Set<string>();

  constructor(
    storageDirectory: string,
    private readonly session: ChatSession,
    private readonly services: Services,
    private readonly options: ChatHistoryOptions = {},
  ) {
    this.store = new ConversationStore(
      path.join(storageDirectory, HISTORY_FOLDER),
      options.maxBytes ?? DEFAULT_MAX_CONVERSATION_BYTES,
    );
    this.saver = new ConversationSaver(
      this.store,
      {
        saved: (conversation, data, result) => this.afterSave(conversation, data, result),
        failed: (conversation, error) => this.saveFailed(conversation, error),
      },
      options.streamingSaveIntervalMs,
    );
    this.disposables.push(
      this.savedEmitter,
      this.problemsEmitter,
      this.prunedEmitter,
      session.onDidChangeConversation(({ conversation, streaming }) => this.saver.changed(conversation, streaming)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SECTION}.history.maxConversations`)) void this.prune();
      }),
    );
  }

  /** How many conversations to keep (`streamChat.history.maxConversations`). */
  get maxConversations(): number {
    return this.services.config.readSurfaceSetting('history.maxConversations', (value) =>
      typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : DEFAULT_MAX_CONVERSATIONS,
    );
  }

  /**
   * Shows the conversation saved last (startup): unless the user has already started one. An
   * answer that was streaming when the window closed comes back marked interrupted.
   */
  async restoreLatest(): Promise<Conversation | undefined> {
    let loaded: Awaited<ReturnType<ConversationStore['loadMostRecent']>>;
    try {
      loaded = await this.store.loadMostRecent();
    } catch (error) {
      this.services.log.error(`History: could not read ${this.store.directory}: ${String(error)}`);
      return undefined;
    }
    this.report(loaded.problems);
    if (loaded.data === undefined || this.session.current.length > 0 || this.session.busy) return undefined;
    const conversation = Conversation.fromJSON(loaded.data);
    this.session.open(conversation);
    this.services.log.info(`History: restored conversation ${conversation.id} (${conversation.length} turns)`);
    return conversation;
  }

  /** Every saved conversation, newest first (the open one as it is now); unreadable files are reported. */
  async list(): Promise<ConversationData[]> {
    const { conversations, problems } = await this.store.list();
    this.report(problems);
    const current = this.session.current;
    // The open conversation as it is now, in its place (opening it from the history is no update).
    const listed = conversations.map((data) =>
      data.id === current.id ? { ...current.toJSON(), updatedAt: data.updatedAt } : data,
    );
    if (current.length > 0 && !listed.some((data) => data.id === current.id)) listed.unshift(current.toJSON());
    return listed;
  }

  /** Shows a saved conversation in the panel; false when its file cannot be read (reported). */
  async open(id: string): Promise<boolean> {
    if (id === this.session.current.id) return true;
    const { data, problem } = await this.store.load(id);
    if (problem !== undefined) this.report([problem]);
    if (data === undefined) return false;
    this.session.open(Conversation.fromJSON(data));
    // Its model belongs to its profile's server: with the profile gone, the model in use stays too.
    if (await this.returnToProfile(data.profile)) await this.returnToModel(lastAnswerFooter(data.turns)?.model);
    return true;
  }

  /** A reopened conversation goes on with the model its last answer was asked of, as the model picker would save it. */
  private async returnToModel(wanted: string | undefined): Promise<void> {
    const { config, log } = this.services;
    const settings = config.read();
    if (wanted === undefined || wanted.trim() === '' || wanted === settings.model) return;
    if (settings.modelSource === 'environment') {
      log.info(`The reopened conversation's model is ${wanted}; STREAM_CHAT_MODEL (${settings.model}) overrides it`);
      return;
    }
    await config.update('model', wanted);
    log.info(`Model: ${wanted} (the reopened conversation's)`);
  }

  /** A reopened conversation goes on with the profile it was answered from; one that is gone is said so. */
  private async returnToProfile(wanted: string | undefined): Promise<boolean> {
    const { config, log } = this.services;
    const active = config.read().profile.name;
    if (wanted === undefined || wanted === active) return true;
    if (isDefaultProfile(wanted) || config.profiles().some((profile) => profile.name === wanted)) {
      await config.activateProfile(wanted);
      log.info(`Profile: ${wanted} (the reopened conversation's)`);
      return true;
    }
    log.warn(`The reopened conversation's profile "${wanted}" no longer exists; it goes on with "${active}"`);
    void vscode.window
      .showWarningMessage(
        `Stream Chat: this conversation was answered with the profile "${wanted}", which no longer exists; ` +
          `it goes on with "${active}".`,
        'Select Profile…',
      )
      .then((choice) => {
        if (choice !== undefined) void vscode.commands.executeCommand('streamChat.selectProfile');
      });
    return false;
  }

  async rename(id: string, title: string): Promise<void> {
    const name = title.trim() === '' ? undefined : title.trim();
    const current = this.session.current;
    if (id === current.id) {
      current.title = name;
      this.saver.changed(current, false);
      await this.saver.flush();
      return;
    }
    const { data, problem } = await this.store.load(id);
    if (problem !== undefined) this.report([problem]);
    if (data === undefined) return;
    const renamed: ConversationData = { ...data, title: name };
    if (name === undefined) delete renamed.title;
    await this.store.save(renamed);
  }

  /** Deletes a conversation and returns it (for Undo); the open one is replaced by a new chat. */
  async delete(id: string): Promise<ConversationData | undefined> {
    await this.saver.flush();
    const current = this.session.current;
    let data: ConversationData | undefined;
    if (id === current.id) {
      data = current.toJSON();
      this.session.newChat();
    } else {
      data = (await this.store.load(id)).data;
    }
    await this.store.delete(id);
    this.forget([id]);
    this.services.log.info(`History: deleted conversation ${id}`);
    return data;
  }

  /** Undo of a delete: the conversation is saved again (and shown, if the panel has nothing else). */
  async undoDelete(data: ConversationData): Promise<void> {
    await this.store.save(data);
    if (this.session.current.length === 0 && !this.session.busy) this.session.open(Conversation.fromJSON(data));
  }

  /** Whether `id` was written this session and is still in the history (tests, the soak bench). */
  writtenThisSession(id: string): boolean {
    return this.known.has(id);
  }

  /** Writes every change still waiting (deactivation, tests). */
  flush(): Promise<void> {
    return this.saver.flush();
  }

  /**
   * Stops saving (later changes, e.g. the answer stopped by the window closing, are not written) and
   * writes what waits.
   */
  dispose(): Promise<void> {
    for (const disposable of this.disposables) disposable.dispose();
    return this.saver.dispose();
  }

  private afterSave(conversation: Conversation, data: ConversationData, result: SaveResult): void {
    if (!this.known.has(data.id)) {
      this.known.add(data.id);
      void this.prune();
    }
    if (result.omittedTurns > conversation.omittedTurns && !this.sizeWarned.has(data.id)) {
      this.sizeWarned.add(data.id);
      const limit = formatBytes(this.options.maxBytes ?? DEFAULT_MAX_CONVERSATION_BYTES);
      const note =
        `Stream Chat: this conversation is larger than ${limit}, so its oldest ${result.omittedTurns} turns are ` +
        'left out of the saved history (the panel shows them until you close it). Start a New Chat to keep everything.';
      this.services.log.warn(
        `History: conversation ${data.id} passed the ${limit} limit; ${result.omittedTurns} oldest turns not saved`,
      );
      void vscode.window.showWarningMessage(note);
    }
    this.savedEmitter.fire(data);
  }

  private saveFailed(conversation: Conversation, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.services.log.error(`History: could not save conversation ${conversation.id}: ${message}`);
    if (this.saveWarned.has(conversation.id)) return;
    this.saveWarned.add(conversation.id);
    void vscode.window
      .showWarningMessage(`Stream Chat could not save this conversation to the history: ${message}`, 'Show Log')
      .then((choice) => {
        if (choice === 'Show Log') void vscode.commands.executeCommand('streamChat.showLog');
      });
  }

  private async prune(): Promise<void> {
    try {
      const removed = await this.store.prune(this.maxConversations, this.session.current.id);
      if (removed.length === 0) return;
      this.forget(removed);
      this.services.log.info(
        `History: removed the ${removed.length} oldest conversations ` +
          `(streamChat.history.maxConversations is ${this.maxConversations})`,
      );
      this.prunedEmitter.fire(removed);
    } catch (error) {
      this.services.log.error(`History: could not prune ${this.store.directory}: ${String(error)}`);
    }
  }

  private forget(ids: readonly string[]): void {
    for (const id of ids) {
      this.known.delete(id);
      this.sizeWarned.delete(id);
      this.saveWarned.delete(id);
    }
  }

  private report(problems: readonly LoadProblem[]): void {
    if (problems.length === 0) return;
    for (const problem of problems) {
      const kept = problem.movedTo !== undefined ? ` (kept as ${problem.movedTo})` : ' (could not move it aside)';
      this.services.log.warn(`History: skipped ${problem.file}: ${problem.reason}${kept}`);
    }
    const [first] = problems;
    const what =
      problems.length === 1
        ? `the history file ${first.file}`
        : `${problems.length} history files (${problems.map((p) => p.file).join(', ')})`;
    const kept = problems.every((p) => p.movedTo !== undefined)
      ? ` ${problems.length === 1 ? 'It was' : 'They were'} kept aside as *.corrupt-* in ${this.store.directory}.`
      : '';
    void vscode.window
      .showWarningMessage(`Stream Chat skipped ${what}: could not read it (${first.reason}).${kept}`, 'Show Log')
      .then((choice) => {
        if (choice === 'Show Log') void vscode.commands.executeCommand('streamChat.showLog');
      });
    this.problemsEmitter.fire(problems);
  }
}
