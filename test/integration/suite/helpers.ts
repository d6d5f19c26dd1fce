// Shared steps for the endpoint suites: the extension's test API, user settings, keys, and the
// test connection command. Not a test file itself (the runner loads only *.test.js).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { ConnectionReport } from '../../../src/endpoint/connectionReport';
import type { StreamChatApi, StreamChatTestApi } from '../../../src/extension';
import type { TestServer } from '../../server';
import { withTestServer as sharedWithTestServer } from '../../server/mochaHooks';

export const extensionId = 'stream-chat.stream-chat';

export async function streamChatApi(): Promise<StreamChatApi & { testing: StreamChatTestApi }> {
  const extension = vscode.extensions.getExtension<StreamChatApi>(extensionId);
  assert.ok(extension, `${extensionId} is not loaded`);
  const api = await extension.activate();
  assert.ok(api.testing, 'the test API is missing: is the extension host in test mode?');
  return api as StreamChatApi & { testing: StreamChatTestApi };
}

type SettingKey =
  | 'baseUrl'
  | 'model'
  | 'headers'
  | 'systemPrompt'
  | 'temperature'
  | 'maxTokens'
  | 'idleTimeoutSeconds'
  | 'contextWindow';

/** Writes a user (global) setting; `undefined` removes it. */
export async function setUserSetting(key: SettingKey, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('streamChat').update(key, value, vscode.ConfigurationTarget.Global);
}

export async function resetUserSettings(): Promise<void> {
  for (const key of [
    'baseUrl',
    'model',
    'headers',
    'systemPrompt',
    'temperature',
    'maxTokens',
    'idleTimeoutSeconds',
    'contextWindow',
  ] as const) {
    await setUserSetting(key, undefined);
  }
}

/** Points the extension at `baseUrl` with `key` stored for its origin (or none). */
export async function useEndpoint(baseUrl: string, key?: string): Promise<void> {
  await setUserSetting('baseUrl', baseUrl);
  if (key !== undefined) await vscode.commands.executeCommand('streamChat.setApiKey', { key });
}

export function testConnection(): Thenable<ConnectionReport> {
  return vscode.commands.executeCommand<ConnectionReport>('streamChat.testConnection');
}

/** An unused loopback port: bound, then released, so connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once `predicate` holds for the settings, checking after every configuration change. */
export function whenSettings(predicate: (config: vscode.WorkspaceConfiguration) => boolean): Promise<void> {
  if (predicate(vscode.workspace.getConfiguration('streamChat'))) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = vscode.workspace.onDidChangeConfiguration(() => {
      if (predicate(vscode.workspace.getConfiguration('streamChat'))) {
        listener.dispose();
        resolve();
      }
    });
  });
}

export function authorizationOf(request: { headers: http.IncomingHttpHeaders }): string | undefined {
  const value = request.headers.authorization;
  return Array.isArray(value) ? value.join(',') : value;
}

/** One test server for the suite (see test/server/mochaHooks.ts); the user settings are reset after it. */
export function withTestServer(use: (server: TestServer) => void): void {
  sharedWithTestServer(use, resetUserSettings);
}

/** A suite on the test server (handed to `use`): before each test the endpoint on it, `test-model`, a fresh chat. */
export function withTestEndpoint(use: (server: TestServer) => void): void {
  let server: TestServer;
  withTestServer((started) => {
    server = started;
    use(started);
  });
  beforeEach(async () => {
    await useEndpoint(server.baseUrl);
    await setUserSetting('model', 'test-model');
    (await streamChatApi()).testing.chat.newChat();
  });
}
