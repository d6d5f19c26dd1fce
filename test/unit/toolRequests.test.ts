// Tools on the wire (src/api/requestBody.ts): the tools, tool_choice, an assistant turn's tool calls,
// a tool result and reasoning sent back must reach the server exactly as the official `openai` SDK
// (the reference peer) sends the same conversation.
import * as assert from 'node:assert/strict';
import OpenAI from 'openai';
import { ChatClient, type ChatRequest } from '../../src/api';
import { chunk, sse, startTestServer, type TestServer } from '../server';
import { drain } from './helpers';

const schema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };

const ours: ChatRequest = {
  model: 'test-model',
  messages: [
    { role: 'system', content: 'You are a coding agent.' },
    { role: 'user', content: 'What is in README.md?' },
    {
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 'a1B2c3D4e', name: 'read_file', arguments: '{"path":"README.md"}' }],
      reasoning: { field: 'reasoning_content', text: 'I should read the file.' },
    },
    { role: 'tool', toolCallId: 'a1B2c3D4e', content: '# Sample project' },
  ],
  tools: [
    { name: 'read_file', description: 'Reads a file', parameters: schema },
    { name: 'list_files', description: 'Lists the workspace' },
  ],
  toolChoice: 'auto',
  includeUsage: false,
};

type SdkMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** The same conversation as the SDK takes it (reasoning is not in its types: servers add the field). */
const sdkMessages: SdkMessage[] = [
  { role: 'system', content: 'You are a coding agent.' },
  { role: 'user', content: 'What is in README.md?' },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id: 'a1B2c3D4e', type: 'function', function: { name: 'read_file', arguments: '{"path":"README.md"}' } },
    ],
    reasoning_content: 'I should read the file.',
  } as SdkMessage,
  { role: 'tool', tool_call_id: 'a1B2c3D4e', content: '# Sample project' },
];

const sdkTools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'read_file', description: 'Reads a file', parameters: schema } },
  {
    type: 'function',
    function: {
      name: 'list_files',
      description: 'Lists the workspace',
      parameters: { type: 'object', properties: {} },
    },
  },
];

const answer = () => ({
  kind: 'stream' as const,
  steps: [
    sse.data(chunk({ role: 'assistant', content: 'ok' })),
    sse.data(chunk({}, { finishReason: 'stop' })),
    sse.done(),
  ],
});

describe('tools on the wire', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  it('tools, tool_choice, tool calls, a tool result and reasoning go as the openai SDK sends them', async () => {
    server.enqueue(answer(), answer());
    const sdk = new OpenAI({ baseURL: server.baseUrl, apiKey: 'x', maxRetries: 0 });
    const stream = await sdk.chat.completions.create({
      model: 'test-model',
      messages: sdkMessages,
      tools: sdkTools,
      tool_choice: 'auto',
      stream: true,
    });
    for await (const part of stream) void part;
    const { error } = await drain(new ChatClient().streamChat({ baseUrl: server.baseUrl }, ours));
    assert.equal(error, undefined);
    const [fromSdk, fromUs] = server.requests.map((request) => request.json as Record<string, unknown>);
    assert.ok(fromSdk !== undefined && fromUs !== undefined, 'both requests reached the server');
    assert.deepEqual(fromUs, fromSdk);
  });

  it("a user message's images go as the openai SDK sends image_url parts", async () => {
    server.enqueue(answer(), answer());
    const sdk = new OpenAI({ baseURL: server.baseUrl, apiKey: 'x', maxRetries: 0 });
    const url = 'data:image/png;base64,iVBORw==';
    const stream = await sdk.chat.completions.create({
      model: 'test-model',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url } },
          ],
        },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const part of stream) void part;
    const image = { mimeType: 'image/png', base64: 'iVBORw==' };
    await drain(
      new ChatClient().streamChat(
        { baseUrl: server.baseUrl },
        { model: 'test-model', messages: [{ role: 'user', content: 'What is this?', images: [image] }] },
      ),
    );
    const [fromSdk, fromUs] = server.requests.map((request) => request.json as Record<string, unknown>);
    assert.deepEqual(fromUs, fromSdk);
  });

  it('a plain conversation has no tool fields at all', async () => {
    server.enqueue(answer());
    await drain(
      new ChatClient().streamChat(
        { baseUrl: server.baseUrl },
        { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools: [], toolChoice: 'required' },
      ),
    );
    const sent = server.requests[0].json as Record<string, unknown>;
    assert.deepEqual(Object.keys(sent).sort(), ['messages', 'model', 'stream', 'stream_options']);
    assert.deepEqual(sent.messages, [{ role: 'user', content: 'hi' }]);
  });
});
