// Public surface of the client. Everything outside src/api imports from here.
export * from './types';
export {
  AnswerCollector,
  asChatError,
  collectAnswer,
  emptyAnswer,
  readEvents,
  type Answer,
  type ToolCall,
} from './answer';
export { ChatClient, endpointUrl, type ChatClientOptions } from './client';
export { BASE_URL_HINT, joinBaseUrl, normalizeBaseUrl, redactSecrets, truncate } from './text';
