// The JSON body of `POST /chat/completions`: our camelCase request in the wire's snake_case, tool
// calls and results in the history in the shapes OpenAI, vLLM, Ollama and llama.cpp all read.
import type { ChatMessage, ChatRequest, ChatTool } from './types';

export function requestBody(request: ChatRequest, includeUsage: boolean): string {
  const body: Record<string, unknown> = {
    model: request.model,
    messages: request.messages.map(wireMessage),
    stream: true,
  };
  if (includeUsage) body.stream_options = { include_usage: true };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map(wireTool);
    if (request.toolChoice !== undefined) body.tool_choice = request.toolChoice;
  }
  return JSON.stringify(body);
}

/** A plain message goes as it is (most of them); only tool turns and reasoning need fields renamed. */
function wireMessage(message: ChatMessage): object {
  const { toolCalls, toolCallId, reasoning, images } = message;
  if (toolCalls === undefined && toolCallId === undefined && reasoning === undefined && images === undefined)
    return { role: message.role, content: message.content };
  const wire: Record<string, unknown> = { role: message.role, content: message.content };
  if (images !== undefined && images.length > 0) {
    const text = message.content === '' ? [] : [{ type: 'text', text: message.content }];
    const pictures = images.map((image) => ({
      type: 'image_url',
      image_url: { url: `data:${image.mimeType};base64,${image.base64}` },
    }));
    wire.content = [...text, ...pictures];
  }
  if (toolCalls !== undefined && toolCalls.length > 0) {
    // Some servers refuse an empty string beside tool calls; null is what OpenAI itself sends.
    if (message.content === '') wire.content = null;
    wire.tool_calls = toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  if (toolCallId !== undefined) wire.tool_call_id = toolCallId;
  if (reasoning !== undefined && reasoning.text !== '') wire[reasoning.field] = reasoning.text;
  return wire;
}

function wireTool(tool: ChatTool): object {
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters ?? { type: 'object', properties: {} },
    },
  };
}
