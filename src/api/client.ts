// PLACEHOLDER — replaced by the real client (issue 2).
import { ChatError, type ChatRequest, type Endpoint, type ModelInfo, type StreamEvent, type StreamOptions } from './types';

/**
 * One per extension activation. Holds what it learned about endpoints (e.g. that a base URL
 * rejects `stream_options`) for the session.
 */
export class ChatClient {
  // eslint-disable-next-line require-yield
  async *streamChat(endpoint: Endpoint, _request: ChatRequest, _options: StreamOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
    throw new ChatError({ kind: 'network', message: `not implemented (${new URL(endpoint.baseUrl).origin})` });
  }

  async listModels(_endpoint: Endpoint, _options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ModelInfo[]> {
    return [];
  }
}
