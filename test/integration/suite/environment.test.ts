// Environment overrides (`npm start`, demos) read through the real configuration API, the endpoint
// read from user settings only, the demo label in the connection summary, and the activation time.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { panelStatus } from '../../../src/chat/panelStatus';
import type { ConnectionReport } from '../../../src/endpoint/connectionReport';
import { summarise } from '../../../src/endpoint/testConnection';
import { fixFor } from '../../../src/host/errorFixes';
import { readEnvironment, StreamChatConfig } from '../../../src/host/config';
import { extensionId, resetUserSettings, setUserSetting, streamChatApi } from './helpers';

/**
 * `real` as an editor that ignores the application scope would answer: `workspace` holds workspace
 * values, which inspect() reports and get() (the effective value) returns over the user's.
 */
function withWorkspaceWinning(
  real: vscode.WorkspaceConfiguration,
  workspace: Record<string, unknown>,
): vscode.WorkspaceConfiguration {
  const inWorkspace = (key: string) => key in workspace;
  return {
    ...real,
    ...workspace,
    has: (key: string) => inWorkspace(key) || real.has(key),
    get: (key: string, fallback?: unknown) => (inWorkspace(key) ? workspace[key] : real.get(key, fallback)),
    inspect: (key: string) => {
      const inspected = real.inspect(key);
      return inspected && inWorkspace(key) ? { ...inspected, workspaceValue: workspace[key] } : inspected;
    },
  } as vscode.WorkspaceConfiguration;
}

describe('environment overrides and reporting', () => {
  const disposables: vscode.Disposable[] = [];

  afterEach(async () => {
    for (const disposable of disposables.splice(0)) disposable.dispose();
    await resetUserSettings();
  });

  function configWith(env: Record<string, string>): StreamChatConfig {
    const config = new StreamChatConfig(readEnvironment(env));
    disposables.push(config);
    return config;
  }

  it('STREAM_CHAT_BASE_URL and STREAM_CHAT_MODEL win over the settings, and say so', async () => {
    await setUserSetting('baseUrl', 'https://api.example.com/v1');
    await setUserSetting('model', 'user-model');
    const config = configWith({
      STREAM_CHAT_BASE_URL: 'http://127.0.0.1:9999/v1/',
      STREAM_CHAT_MODEL: 'env-model',
      STREAM_CHAT_API_KEY: 'env-key-123',
    });
    const settings = config.read();
    assert.equal(settings.endpoint.baseUrl, 'http://127.0.0.1:9999/v1');
    assert.equal(settings.endpoint.baseUrlSource, 'environment');
    assert.equal(settings.endpoint.environmentApiKey, 'env-key-123');
    assert.equal(settings.model, 'env-model');
    assert.equal(settings.endpoint.demo, false);
    const notes = config.describeOverrides().join('\n');
    assert.match(notes, /STREAM_CHAT_BASE_URL is set/);
    assert.match(notes, /STREAM_CHAT_MODEL is set/);
    assert.ok(!notes.includes('env-key-123'));
    // The chat panel says so too: the Settings editor shows the user's values, not these.
    assert.deepEqual(panelStatus({ config }, false, undefined).overriddenBy, [
      'STREAM_CHAT_BASE_URL',
      'STREAM_CHAT_MODEL',
    ]);
    assert.equal(panelStatus({ config: configWith({}) }, false, undefined).overriddenBy, undefined);
  });

  it('never repeats credentials written into STREAM_CHAT_BASE_URL, and refuses to use it', () => {
    const config = configWith({ STREAM_CHAT_BASE_URL: 'https://someone:hunter2-env@api.example.com/v1' });
    const { endpoint } = config.read();
    assert.equal(endpoint.baseUrl, undefined);
    assert.match(endpoint.problem ?? '', /^STREAM_CHAT_BASE_URL: .*credentials/);
    assert.equal(endpoint.configuredBaseUrl, 'https://•••@api.example.com/v1');
    const notes = config.describeOverrides().join('\n');
    assert.match(notes, /STREAM_CHAT_BASE_URL is set/);
    assert.ok(!notes.includes('hunter2'), notes);
  });

  it('ignores STREAM_CHAT_API_KEY without STREAM_CHAT_BASE_URL (never sent to the configured origin)', async () => {
    await setUserSetting('baseUrl', 'https://api.example.com/v1');
    const config = configWith({ STREAM_CHAT_API_KEY: 'env-key-123' });
    const settings = config.read();
    assert.equal(settings.endpoint.baseUrl, 'https://api.example.com/v1');
    assert.equal(settings.endpoint.environmentApiKey, undefined);
    assert.match(config.describeOverrides().join('\n'), /STREAM_CHAT_API_KEY is ignored/);
  });

  it('takes the endpoint and headers from user settings, even in an editor that lets the workspace win', async () => {
    // First layer: application scope, so VS Code itself drops workspace values of these two.
    const { properties } = (
      vscode.extensions.getExtension(extensionId)?.packageJSON as {
        contributes: { configuration: { properties: Record<string, { scope?: string }> } };
      }
    ).contributes.configuration;
    assert.equal(properties['streamChat.baseUrl']?.scope, 'application');
    assert.equal(properties['streamChat.headers']?.scope, 'application');
    // Second layer, the code's own reading: VS Code never shows it a workspace value of these, so
    // the real configuration gets one on top, as an editor that ignored the scope would report it.
    await setUserSetting('baseUrl', 'https://user.example.com/v1');
    await setUserSetting('headers', { 'X-From-User': 'yes' });
    const workspace = { baseUrl: 'https://workspace.example.com/v1', headers: { 'X-From-Workspace': 'yes' } };
    const config = new StreamChatConfig(readEnvironment({}), (section) =>
      withWorkspaceWinning(vscode.workspace.getConfiguration(section), workspace),
    );
    disposables.push(config);
    const { endpoint } = config.read();
    assert.equal(endpoint.baseUrl, 'https://user.example.com/v1');
    assert.deepEqual(endpoint.headers, { 'X-From-User': 'yes' });
  });

  it('STREAM_CHAT_DEMO=1 marks the environment endpoint as the demo server', () => {
    assert.equal(
      configWith({ STREAM_CHAT_BASE_URL: 'http://127.0.0.1:9999/v1', STREAM_CHAT_DEMO: '1' }).read().endpoint.demo,
      true,
    );
    assert.equal(
      configWith({ STREAM_CHAT_DEMO: '1' }).read().endpoint.demo,
      false,
      'the demo flag must not relabel a real endpoint',
    );
  });

  it('reads unset temperature and max tokens as not sent, and the idle timeout in ms', async () => {
    const config = configWith({});
    assert.equal(config.read().temperature, undefined);
    assert.equal(config.read().maxTokens, undefined);
    assert.equal(config.read().idleTimeoutMs, 120_000);
    await setUserSetting('temperature', 0.2);
    await setUserSetting('maxTokens', 256);
    await setUserSetting('idleTimeoutSeconds', 30);
    assert.equal(config.read().temperature, 0.2);
    assert.equal(config.read().maxTokens, 256);
    assert.equal(config.read().idleTimeoutMs, 30_000);
  });

  it("caps the idle timeout at 300 s, the longest silence Node's fetch allows", async () => {
    await setUserSetting('idleTimeoutSeconds', 900);
    assert.equal(configWith({}).read().idleTimeoutMs, 300_000);
  });

  it('fires its change event when a streamChat setting changes', async () => {
    const config = configWith({});
    const changed = new Promise<void>((resolve) => disposables.push(config.onDidChange(resolve)));
    await setUserSetting('model', 'changed-model');
    await changed;
    assert.equal(config.read().model, 'changed-model');
  });

  it('labels the demo model in the connection summary', () => {
    const base: ConnectionReport = {
      ok: true,
      baseUrl: 'http://127.0.0.1:1/v1',
      origin: 'http://127.0.0.1:1',
      model: 'demo-model',
      demo: true,
      authSent: false,
      usageChunk: true,
    };
    assert.match(summarise(base), /^Stream Chat: Connected to http:\/\/127\.0\.0\.1:1 — Demo model/);
    assert.match(
      summarise({ ...base, ok: false, error: { kind: 'network', message: 'Could not connect to 127.0.0.1:1' } }),
      /^Stream Chat: Connection failed — Could not connect to 127\.0\.0\.1:1/,
    );
  });

  it('offers the command that fixes a failed connection test, and it exists', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const [kind, command] of [
      ['auth', 'streamChat.setApiKey'],
      ['model-not-found', 'streamChat.selectModel'],
      ['network', 'streamChat.selectEndpoint'],
      ['config', 'streamChat.selectEndpoint'],
      ['key-not-sent', 'streamChat.selectEndpoint'],
    ] as const) {
      assert.equal(fixFor(kind).command, command, kind);
      assert.ok(registered.has(command), command);
    }
  });

  it('names the headers it did not send in the connection summary', () => {
    const report: ConnectionReport = {
      ok: true,
      baseUrl: 'http://127.0.0.1:1/v1',
      origin: 'http://127.0.0.1:1',
      model: 'm',
      demo: false,
      authSent: false,
      usageChunk: true,
      ignoredHeaders: [{ name: 'Host', problem: 'x' }],
    };
    assert.match(summarise(report), /headers not sent: "Host"/);
    assert.match(
      summarise({ ...report, ok: false, error: { kind: 'network', message: 'Could not connect' } }),
      /Could not connect \(headers not sent: "Host"/,
    );
  });

  it('records the activation time measured in the extension host', async () => {
    const api = await streamChatApi();
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs > 0);
    assert.ok(api.logLines().some((line) => line.startsWith('Activated in ')));
    console.log(`[stream-chat] activation time: ${api.activationMs.toFixed(1)} ms`);
  });
});
