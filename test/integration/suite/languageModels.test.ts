// Stream Chat's models through VS Code's own language-model API (`vscode.lm`), as VS Code's chat and
// other extensions use them: listed from the test server's `/models`, streamed, cancelled, tool calls
// both ways, reasoning kept out of the text, errors that say what to do.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { chunk, sse, type Scenario, type StreamStep, type TestServer } from '../../server';
import { streamChatApi, useEndpoint, withTestEndpoint } from './helpers';

const VENDOR = 'stream-chat';
/** A 1×1 PNG. */
const ONE_PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const hasProviderApi =
  typeof (vscode.lm as { registerLanguageModelChatProvider?: unknown }).registerLanguageModelChatProvider ===
  'function';

function chatRequests(server: TestServer) {
  return server.requests.filter((request) => request.path === '/v1/chat/completions');
}

/** The model the test server lists first, once VS Code has asked our provider for its models. */
async function ourModel(): Promise<vscode.LanguageModelChat> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const [model] = await vscode.lm.selectChatModels({ vendor: VENDOR, family: 'test-model' });
    if (model !== undefined) return model;
    // VS Code fills its model list after our change event, on its own schedule: ask again shortly.
    await new Promise<void>((resolve) => {
      const subscription = vscode.lm.onDidChangeChatModels(() => {
        subscription.dispose();
        resolve();
      });
      setTimeout(() => {
        subscription.dispose();
        resolve();
      }, 200);
    });
  }
  assert.fail('no Stream Chat model in vscode.lm');
}

function stream(...steps: StreamStep[]): Scenario {
  return { kind: 'stream', steps: [...steps, sse.done()] };
}

async function readAll(response: vscode.LanguageModelChatResponse): Promise<unknown[]> {
  const parts: unknown[] = [];
  for await (const part of response.stream) parts.push(part);
  return parts;
}

(hasProviderApi ? describe : describe.skip)('Stream Chat models in vscode.lm', () => {
  let server: TestServer;
  withTestEndpoint((started) => (server = started));
  // Here VS Code's model list follows settings as for a user (other suites' servers count requests).
  before(async () => (await streamChatApi()).testing.setLanguageModelsFollowSettings(true));
  after(async () => (await streamChatApi()).testing.setLanguageModelsFollowSettings(false));

  it('lists the server’s models by vendor, named endpoint · model, with token limits', async () => {
    server.models = ['test-model', 'other-model'];
    await useEndpoint(server.baseUrl); // a settings change: VS Code is told the models changed
    const model = await ourModel();
    assert.equal(model.vendor, VENDOR);
    assert.equal(model.name, `${new URL(server.baseUrl).host} · test-model`);
    assert.ok(model.maxInputTokens >= 32_768, String(model.maxInputTokens));
    const all = await vscode.lm.selectChatModels({ vendor: VENDOR });
    assert.deepEqual(all.map((entry) => entry.family).sort(), ['other-model', 'test-model']);
  });

  it("every profile's models are offered, named profile · model; a deleted profile's model says so", async () => {
    const config = vscode.workspace.getConfiguration('streamChat');
    await config.update('profiles', [{ name: 'Lab', baseUrl: server.baseUrl }], vscode.ConfigurationTarget.Global);
    try {
      let names: string[] = [];
      for (let attempt = 0; attempt < 50 && !names.includes('Lab · test-model'); attempt++) {
        names = (await vscode.lm.selectChatModels({ vendor: VENDOR })).map((model) => model.name);
        if (!names.includes('Lab · test-model')) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(names.includes('Lab · test-model'), names.join(', '));
      assert.ok(names.includes(`${new URL(server.baseUrl).host} · test-model`), names.join(', '));
      const [lab] = (await vscode.lm.selectChatModels({ vendor: VENDOR })).filter((model) =>
        model.name.startsWith('Lab'),
      );
      await config.update('profiles', undefined, vscode.ConfigurationTarget.Global);
      await assert.rejects(
        async () => readAll(await lab.sendRequest([vscode.LanguageModelChatMessage.User('Hi')])),
        /the profile "Lab" no longer exists/,
      );
    } finally {
      await config.update('profiles', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('streams text parts before the server has finished; reasoning never becomes text', async () => {
    const model = await ourModel();
    server.enqueue(
      stream(
        sse.data(chunk({ role: 'assistant', reasoning_content: 'Let me think.' })),
        sse.data(chunk({ content: 'Hello' })),
        { wait: 400 },
        sse.data(chunk({ content: ' there' })),
        sse.data(chunk({}, { finishReason: 'stop' })),
      ),
    );
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Hi')]);
    const iterator = response.stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    const request = chatRequests(server)[0];
    assert.ok(first.value instanceof vscode.LanguageModelTextPart);
    assert.equal(first.value.value, 'Hello');
    let outcomeBeforeEnd: string | undefined;
    void request.outcome.then((outcome) => (outcomeBeforeEnd = outcome));
    await Promise.resolve();
    assert.equal(outcomeBeforeEnd, undefined, 'the first part came while the server was still sending');
    const rest: unknown[] = [];
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) rest.push(next.value);
    const texts = [first.value, ...rest].map((part) => (part as vscode.LanguageModelTextPart).value);
    assert.equal(texts.join(''), 'Hello there');
    assert.deepEqual((request.json as { messages: unknown }).messages, [{ role: 'user', content: 'Hi' }]);
  });

  it('cancelling the token aborts the request at the server', async () => {
    const model = await ourModel();
    server.enqueue({
      kind: 'stream',
      steps: [sse.data(chunk({ role: 'assistant', content: 'Start' }))],
      end: 'stall',
    });
    const cancel = new vscode.CancellationTokenSource();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Go')], {}, cancel.token);
    const iterator = response.stream[Symbol.asyncIterator]();
    await iterator.next();
    cancel.cancel();
    assert.equal(await chatRequests(server)[0].outcome, 'aborted');
  });

  it('a tool call in fragments is one part with its input; its result goes back as a tool message', async () => {
    const model = await ourModel();
    const call = (fragment: object) => sse.data(chunk({ tool_calls: [{ index: 0, ...fragment }] }));
    server.enqueue(
      stream(
        sse.data(chunk({ role: 'assistant', reasoning_content: 'Read it first.' })),
        call({ id: 'call_x', type: 'function', function: { name: 'read_file', arguments: '' } }),
        call({ function: { arguments: '{"path":' } }),
        call({ function: { arguments: '"README.md"}' } }),
        sse.data(chunk({}, { finishReason: 'tool_calls' })),
      ),
      stream(
        sse.data(chunk({ role: 'assistant', content: 'It is a sample.' })),
        sse.data(chunk({}, { finishReason: 'stop' })),
      ),
    );
    const tools: vscode.LanguageModelChatTool[] = [
      { name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: {} } } },
    ];
    const question = vscode.LanguageModelChatMessage.User('What is in README.md?');
    const parts = await readAll(await model.sendRequest([question], { tools }));
    const calls = parts.filter((part) => part instanceof vscode.LanguageModelToolCallPart);
    assert.equal(calls.length, 1);
    const [toolCall] = calls;
    assert.equal(toolCall.name, 'read_file');
    assert.deepEqual(toolCall.input, { path: 'README.md' });
    assert.match(toolCall.callId, /^[A-Za-z0-9]{9}$/);
    assert.equal(
      parts.filter((part) => part instanceof vscode.LanguageModelTextPart).length,
      0,
      'no reasoning as text',
    );
    const sentTools = (chatRequests(server)[0].json as { tools: unknown }).tools;
    assert.deepEqual(sentTools, [
      {
        type: 'function',
        function: { name: 'read_file', description: 'Reads a file', parameters: tools[0].inputSchema },
      },
    ]);

    const followUp = [
      question,
      vscode.LanguageModelChatMessage.Assistant([toolCall]),
      vscode.LanguageModelChatMessage.User([
        new vscode.LanguageModelToolResultPart(toolCall.callId, [new vscode.LanguageModelTextPart('# Sample')]),
      ]),
    ];
    await readAll(await model.sendRequest(followUp, { tools }));
    const messages = (chatRequests(server)[1].json as { messages: unknown[] }).messages;
    assert.deepEqual(messages.slice(1), [
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: toolCall.callId, type: 'function', function: { name: 'read_file', arguments: '{"path":"README.md"}' } },
        ],
        reasoning_content: 'Read it first.',
      },
      { role: 'tool', tool_call_id: toolCall.callId, content: '# Sample' },
    ]);
  });

  it('a model the server lists as reading images gets the picture as an image_url part', async () => {
    const DataPart = (
      vscode as unknown as { LanguageModelDataPart?: { image(data: Uint8Array, mime: string): object } }
    ).LanguageModelDataPart;
    if (DataPart === undefined) return; // an editor without image parts: nothing to send
    server.modelFields = { architecture: { input_modalities: ['text', 'image'] } };
    try {
      // A settings change (the same endpoint, written another way) has VS Code ask for the models again.
      await useEndpoint(`${server.baseUrl}/`);
      const model = await ourModel();
      server.enqueue(stream(sse.data(chunk({ role: 'assistant', content: 'A dot.' }))));
      // A real PNG: VS Code decodes (and may re-encode) images before they reach the provider.
      const png = Buffer.from(ONE_PIXEL_PNG, 'base64');
      const question = vscode.LanguageModelChatMessage.User([
        new vscode.LanguageModelTextPart('What is this?'),
        DataPart.image(new Uint8Array(png), 'image/png') as vscode.LanguageModelTextPart,
      ]);
      await readAll(await model.sendRequest([question]));
      const [sent] = (chatRequests(server)[0].json as { messages: { role: string; content: unknown }[] }).messages;
      assert.equal(sent.role, 'user');
      const [text, image] = sent.content as [
        { type: string; text: string },
        { type: string; image_url: { url: string } },
      ];
      assert.deepEqual(text, { type: 'text', text: 'What is this?' });
      assert.equal(image.type, 'image_url');
      const match = /^data:(image\/[a-z]+);base64,(.+)$/.exec(image.image_url.url);
      assert.ok(match !== null, image.image_url.url.slice(0, 60));
      const bytes = Buffer.from(match[2], 'base64');
      assert.ok(bytes.length > 8, 'the picture itself');
      if (match[1] === 'image/png') assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
    } finally {
      server.modelFields = {};
      await useEndpoint(server.baseUrl);
    }
  });

  it('a rejected key is an error that names the key and the fix', async () => {
    const model = await ourModel();
    server.enqueue({ kind: 'respond', status: 401, body: { error: { message: 'Invalid API key', type: 'auth' } } });
    await assert.rejects(
      async () => readAll(await model.sendRequest([vscode.LanguageModelChatMessage.User('Hi')])),
      (error: unknown) => error instanceof Error && /key/i.test(error.message) && /Set API Key/.test(error.message),
    );
  });

  it('a server that refuses tools says what to change on the server', async () => {
    const model = await ourModel();
    server.enqueue({
      kind: 'respond',
      status: 400,
      body: {
        error: { message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set' },
      },
    });
    const tools: vscode.LanguageModelChatTool[] = [{ name: 'x', description: 'x' }];
    await assert.rejects(
      async () => readAll(await model.sendRequest([vscode.LanguageModelChatMessage.User('Hi')], { tools })),
      (error: unknown) => error instanceof Error && /--enable-auto-tool-choice --tool-call-parser/.test(error.message),
    );
  });

  it('Use Models in VS Code Chat: anonymous access turned on when agreed, else the line handed over', async () => {
    const chat = vscode.workspace.getConfiguration('chat');
    // VS Code 1.139 keeps the setting from extensions (not registered: no default, and writes refused).
    const registered = chat.inspect('allowAnonymousAccess')?.defaultValue !== undefined;
    if (registered) await chat.update('allowAnonymousAccess', false, vscode.ConfigurationTarget.Global);
    try {
      const result = await vscode.commands.executeCommand('streamChat.useModelsInVsCodeChat', {
        allowAnonymousAccess: true,
      });
      const chatView = (await vscode.commands.getCommands(true)).includes('workbench.action.chat.open');
      if (!chatView) {
        assert.equal(result, 'no-chat-view');
        return;
      }
      if (registered) {
        assert.equal(result, 'opened');
        assert.equal(vscode.workspace.getConfiguration('chat').inspect('allowAnonymousAccess')?.globalValue, true);
      } else {
        assert.equal(result, 'needs-setting');
        assert.equal(await vscode.env.clipboard.readText(), '"chat.allowAnonymousAccess": true,');
      }
    } finally {
      if (registered)
        await vscode.workspace
          .getConfiguration('chat')
          .update('allowAnonymousAccess', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
