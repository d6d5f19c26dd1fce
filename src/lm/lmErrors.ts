// What a failed request from VS Code's chat says: the cause and the fix, as our notifications do, and
// for a server that refuses tools, what to change on the server.
import type { ChatError } from '../api';
import { fixFor } from '../host/errorFixes';
import type { StreamChatModel } from './modelCatalog';

/** The wording servers use when they cannot take `tools` (vLLM, llama.cpp, Ollama, LM Studio…). */
const TOOLS_REFUSED = new RegExp(
  [
    'tool[_ -]?choice',
    'tool[_ -]?call',
    String.raw`\btools?\b.*(not supported|does not support|unsupported)`,
    '--jinja',
    'does not support tools',
  ].join('|'),
  'i',
);

export function lmErrorMessage(error: ChatError, model: StreamChatModel, toolCount: number): string {
  if (toolCount > 0 && (error.kind === 'bad-request' || error.kind === 'server') && refusesTools(error))
    return (
      `${model.modelId} at ${error.origin ?? 'the server'} cannot take tools ` +
      `(${error.serverMessage ?? error.message}). ` +
      'On vLLM start the server with --enable-auto-tool-choice --tool-call-parser <parser for the model> ' +
      '(for example hermes for Qwen, llama3_json for Llama 3.x); llama.cpp needs --jinja; on Ollama choose a ' +
      'model with tool support. Without tools, use the Ask mode of the chat.'
    );
  const fix = fixFor(error.kind);
  return `Stream Chat: ${error.message} (fix: run "Stream Chat: ${fix.title}").`;
}

function refusesTools(error: ChatError): boolean {
  return TOOLS_REFUSED.test(`${error.serverMessage ?? ''} ${error.message}`);
}
