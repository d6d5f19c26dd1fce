// Stream Chat's models in VS Code's own Chat view, its agent, inline chat and for every extension
// that uses `vscode.lm`: a LanguageModelChatProvider (vendor `stream-chat`) whose requests go
// through the same client and request runner as the panel's (owner `lm`): retries, idle timeout,
// keys bound to their origin, the log, and cancellation that aborts the HTTP request.
import * as vscode from 'vscode';
import { asChatError, type ChatMessage, type StreamEvent, type ToolCall } from '../api';
import type { TrackedRequest } from '../core/requestRunner';
import type { Services } from '../host/services';
import type {
  LanguageModelChatProvider,
  LanguageModelChatRequestMessage,
  LanguageModelResponsePart,
  ProvideLanguageModelChatResponseOptions,
} from './lmApi';
import { lmErrorMessage } from './lmErrors';
import { parseToolCalls, toChatMessages, toChatTools } from './lmMessages';
import { ModelCatalog, type StreamChatModel } from './modelCatalog';
import { TokenCounter } from './tokenCounter';

/** Reasoning kept for the tool calls it led to, so it can go back with them (bounded). */
const MAX_REMEMBERED_REASONING = 200;

export class StreamChatModelProvider implements LanguageModelChatProvider<StreamChatModel>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly catalog: ModelCatalog;
  private readonly tokens: TokenCounter;
  private readonly reasoningByCall = new Map<string, ChatMessage['reasoning']>();
  /** Models seen closing a `</think>` they never opened: their text is held until it is known not to be reasoning. */
  private readonly bareThinkModels = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly services: Services) {
    this.catalog = new ModelCatalog(services);
    this.tokens = new TokenCounter(services.tokens);
    this.subscriptions = [
      this.changed,
      services.config.onDidChange(() => this.followChange()),
      services.keys.onDidChange(() => this.followChange()),
    ];
  }

  /** The models may have changed (endpoint, key): VS Code asks again. */
  refresh(): void {
    this.catalog.forget();
    this.changed.fire();
  }

  private followChange(): void {
    if (this.services.testHooks?.languageModelsFollowSettings ?? true) this.refresh();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  provideLanguageModelChatInformation(options: { readonly silent: boolean }): Promise<StreamChatModel[]> {
    return this.catalog.models(options.silent);
  }

  async provideLanguageModelChatResponse(
    model: StreamChatModel,
    messages: readonly LanguageModelChatRequestMessage[],
    options: ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const request = await this.start(model, messages, options, token);
    const cancelled = token.onCancellationRequested(() => request.stop());
    try {
      await this.stream(model, request, progress);
    } catch (error) {
      if (token.isCancellationRequested) return; // VS Code cancelled: nothing to report
      throw new Error(lmErrorMessage(asChatError(error), model, options.tools?.length ?? 0));
    } finally {
      cancelled.dispose();
    }
    const { answer } = request;
    if (answer.stopped) return;
    this.reportToolCalls(answer.toolCalls, answer.reasoning, answer.reasoningSource, progress);
  }

  provideTokenCount(model: StreamChatModel, text: string | LanguageModelChatRequestMessage): Promise<number> {
    return Promise.resolve(this.tokens.count(model.origin, model.modelId, text));
  }

  private async start(
    model: StreamChatModel,
    messages: readonly LanguageModelChatRequestMessage[],
    options: ProvideLanguageModelChatResponseOptions,
    token: vscode.CancellationToken,
  ): Promise<TrackedRequest> {
    const resolved = await this.services.resolver.resolve(model.profile);
    const { settings } = resolved;
    if (settings.profile.missing !== undefined)
      throw new Error(
        `Stream Chat: the profile "${model.profile}" no longer exists (streamChat.profiles); ` +
          'pick another Stream Chat model.',
      );
    const tools = toChatTools(options.tools);
    // The caller owns the prompt (VS Code's agent sends its own system message): none of ours is added.
    const chatMessages = toChatMessages(messages, (callId) => this.reasoningByCall.get(callId));
    const controller = new AbortController();
    if (token.isCancellationRequested) controller.abort();
    return this.services.runner.start({
      owner: 'lm',
      endpoint: resolved.endpoint,
      request: {
        model: model.modelId,
        messages: chatMessages,
        temperature: settings.temperature,
        maxTokens: settings.maxTokens,
        ...(tools !== undefined ? { tools } : {}),
        // Auto is every server's default when tools are sent; only Required needs saying.
        ...(tools !== undefined && options.toolMode === vscode.LanguageModelChatToolMode.Required
          ? { toolChoice: 'required' as const }
          : {}),
      },
      options: { idleTimeoutMs: settings.idleTimeoutMs, signal: controller.signal },
    });
  }

  /** Text parts as they arrive; reasoning never becomes text. */
  private async stream(
    model: StreamChatModel,
    request: TrackedRequest,
    progress: vscode.Progress<LanguageModelResponsePart>,
  ): Promise<void> {
    let held: string[] | undefined = this.bareThinkModels.has(model.id) ? [] : undefined;
    const report = (text: string) => progress.report(new vscode.LanguageModelTextPart(text));
    for await (const event of request.events as AsyncIterable<StreamEvent>) {
      if (event.type === 'content') {
        if (held !== undefined) held.push(event.text);
        else report(event.text);
      } else if (event.type === 'content-was-reasoning') {
        // Text already handed to VS Code cannot be taken back: from now on this model's text waits.
        this.bareThinkModels.add(model.id);
        held = undefined;
      }
    }
    if (held !== undefined && held.length > 0) report(held.join(''));
  }

  private reportToolCalls(
    calls: readonly ToolCall[],
    reasoning: string,
    source: string | undefined,
    progress: vscode.Progress<LanguageModelResponsePart>,
  ): void {
    if (calls.length === 0) return;
    const parsed = parseToolCalls(calls);
    for (const call of parsed)
      progress.report(new vscode.LanguageModelToolCallPart(call.callId, call.name, call.input));
    if (parsed.length > 0 && reasoning !== '' && (source === 'reasoning' || source === 'reasoning_content'))
      this.remember(parsed[0].callId, { field: source, text: reasoning });
  }

  private remember(callId: string, reasoning: ChatMessage['reasoning']): void {
    this.reasoningByCall.set(callId, reasoning);
    if (this.reasoningByCall.size > MAX_REMEMBERED_REASONING) {
      const oldest = this.reasoningByCall.keys().next().value;
      if (oldest !== undefined) this.reasoningByCall.delete(oldest);
    }
  }
}
