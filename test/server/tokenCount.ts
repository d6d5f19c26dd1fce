// The test server's token counts (the `usage` chunk): close to what a BPE tokenizer reports, without
// a vocabulary, so the client's estimates can be checked against something realistic. About 4.5
// characters a token for English prose, fewer for code (punctuation, indentation), one per CJK
// character; prompt and completion are counted the same way.

/**
 * One piece a tokenizer would make: a word part with its leading space (camelCase splits), up to
 * three digits, a short run of punctuation, one character beyond ASCII, or a run of whitespace.
 */
const PIECE = / ?[A-Z]?[a-z]+| ?[A-Z]+(?![a-z])| ?\d{1,3}|[\u0080-\uffff]| ?[^\s\w\x80-\uffff]{1,3}|_|\s+/g;
/** The chat template's tokens around each message (role, separators), as OpenAI documents for its models. */
const TOKENS_PER_MESSAGE = 3;
/** The template's start of the reply the model is asked for. */
const TOKENS_PER_REPLY = 3;

export function countTokens(text: string): number {
  let count = 0;
  PIECE.lastIndex = 0;
  while (PIECE.exec(text) !== null) count++;
  return count;
}

/** `prompt_tokens` for a request's messages (contents that are not text count nothing). */
export function countPromptTokens(messages: readonly { content?: unknown }[] | undefined): number {
  let count = TOKENS_PER_REPLY;
  for (const message of messages ?? [])
    count += TOKENS_PER_MESSAGE + (typeof message.content === 'string' ? countTokens(message.content) : 0);
  return count;
}
