// VS Code's language-model messages and tools → the client's request, and tool calls back
// (src/lm/lmMessages.ts), with parts shaped as the extension host hands them in.
import * as assert from 'node:assert/strict';
import {
  parseToolCalls,
  randomCallId,
  toChatMessages,
  toChatTools,
  ToolArgumentsError,
  type ProviderMessage,
} from '../../src/lm/lmMessages';

const text = (value: string) => ({ value });
const call = (callId: string, name: string, input: object) => ({ callId, name, input });
const result = (callId: string, ...content: unknown[]) => ({ callId, content });
const none = () => undefined;

describe('VS Code chat messages → the request', () => {
  it('system, user and assistant text; parts of one message joined; empty messages left out', () => {
    const messages: ProviderMessage[] = [
      { role: 3, content: [text('You are an agent.')] },
      { role: 1, content: [text('Hello, '), text('world')] },
      { role: 2, content: [text('Hi!')] },
      { role: 1, content: [] },
    ];
    assert.deepEqual(toChatMessages(messages, none), [
      { role: 'system', content: 'You are an agent.' },
      { role: 'user', content: 'Hello, world' },
      { role: 'assistant', content: 'Hi!' },
    ]);
  });

  it('a tool call and its result: assistant.tool_calls, then a tool message before the user text', () => {
    const messages: ProviderMessage[] = [
      { role: 1, content: [text('Read the README')] },
      { role: 2, content: [text('Reading.'), call('a1B2c3D4e', 'read_file', { path: 'README.md' })] },
      { role: 1, content: [result('a1B2c3D4e', text('# Sample')), text('Thanks')] },
    ];
    const reasoning = { field: 'reasoning_content' as const, text: 'Read it first.' };
    const converted = toChatMessages(messages, (id) => (id === 'a1B2c3D4e' ? reasoning : undefined));
    assert.deepEqual(converted, [
      { role: 'user', content: 'Read the README' },
      {
        role: 'assistant',
        content: 'Reading.',
        toolCalls: [{ id: 'a1B2c3D4e', name: 'read_file', arguments: '{"path":"README.md"}' }],
        reasoning,
      },
      { role: 'tool', toolCallId: 'a1B2c3D4e', content: '# Sample' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it("other providers' call ids are renamed to nine letters, the same on the call and its result", () => {
    const messages: ProviderMessage[] = [
      { role: 2, content: [call('toolu_01ABC', 'a', {}), call('call_2', 'b', {})] },
      { role: 1, content: [result('call_2', text('B')), result('toolu_01ABC', text('A'))] },
    ];
    const [assistant, second, first] = toChatMessages(messages, none);
    assert.deepEqual(
      assistant.toolCalls?.map((entry) => entry.id),
      ['call00001', 'call00002'],
    );
    assert.equal(second.toolCallId, 'call00002');
    assert.equal(first.toolCallId, 'call00001');
  });

  it('tool results as prompt-tsx trees and text/JSON data parts become their text; images are left out', () => {
    const tsx = {
      node: {
        type: 1,
        children: [
          { type: 2, text: 'line one\n' },
          { type: 2, text: 'line two' },
        ],
      },
    };
    const json = { mimeType: 'application/json', data: new TextEncoder().encode('{"ok":true}') };
    const image = { mimeType: 'image/png', data: new Uint8Array([137, 80]) };
    const [message] = toChatMessages([{ role: 1, content: [result('abcdefghi', { value: tsx }, json, image)] }], none);
    assert.deepEqual(message, { role: 'tool', toolCallId: 'abcdefghi', content: 'line one\nline two{"ok":true}' });
  });

  it("a user message's images go with it in base64; a system message's and a tool result's do not", () => {
    const png = { mimeType: 'image/png', data: new Uint8Array([137, 80, 78, 71]) };
    const messages: ProviderMessage[] = [
      { role: 3, content: [text('System.'), png] },
      { role: 1, content: [text('What is this?'), png] },
      { role: 1, content: [png] },
    ];
    assert.deepEqual(toChatMessages(messages, none), [
      { role: 'system', content: 'System.' },
      { role: 'user', content: 'What is this?', images: [{ mimeType: 'image/png', base64: 'iVBORw==' }] },
      { role: 'user', content: '', images: [{ mimeType: 'image/png', base64: 'iVBORw==' }] },
    ]);
  });

  it('tools: name, description and schema; none when VS Code offers none', () => {
    const schema = { type: 'object', properties: {} };
    assert.deepEqual(
      toChatTools([
        { name: 'run', description: 'Runs', inputSchema: schema },
        { name: 'x', description: '' },
      ]),
      [
        { name: 'run', description: 'Runs', parameters: schema },
        { name: 'x', description: '' },
      ],
    );
    assert.equal(toChatTools([]), undefined);
    assert.equal(toChatTools(undefined), undefined);
  });
});

describe("the model's tool calls → VS Code", () => {
  it('one part per call with its parsed input and a fresh id; empty arguments are {}', () => {
    let n = 0;
    const ids = () => `id${++n}`;
    const parsed = parseToolCalls(
      [
        { index: 0, id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' },
        { index: 1, id: 'call_1', name: 'list_files', arguments: '' },
        { index: 2, arguments: '{}' },
      ],
      ids,
    );
    assert.deepEqual(parsed, [
      { callId: 'id1', name: 'read_file', input: { path: 'a.ts' } },
      { callId: 'id2', name: 'list_files', input: {} },
    ]);
  });

  it('arguments that are not a JSON object are an error naming the tool', () => {
    for (const bad of ['{"path":', '[1,2]', '"text"', 'null']) {
      assert.throws(
        () => parseToolCalls([{ index: 0, name: 'read_file', arguments: bad }]),
        (error: unknown) =>
          error instanceof ToolArgumentsError && error.toolName === 'read_file' && /"read_file"/.test(error.message),
        bad,
      );
    }
  });

  it('our ids: nine letters and digits, different every time', () => {
    const ids = new Set(Array.from({ length: 1000 }, randomCallId));
    assert.equal(ids.size, 1000);
    for (const id of ids) assert.match(id, /^[A-Za-z0-9]{9}$/);
  });
});
