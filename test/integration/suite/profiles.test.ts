// Endpoint profiles in the real extension host: the Default profile is the plain settings, a named
// one is switched to by Select Profile, requests and model choices follow it, the status bar says
// which is in use, and a profile that is gone is said so.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestServer } from '../../server';
import { streamChatApi, withTestEndpoint } from './helpers';

async function setProfiles(profiles: unknown, active?: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('streamChat');
  await config.update('profiles', profiles, vscode.ConfigurationTarget.Global);
  await config.update('activeProfile', active, vscode.ConfigurationTarget.Global);
}

function lastChatModel(server: TestServer): string | undefined {
  const requests = server.requests.filter((request) => request.path === '/v1/chat/completions');
  return (requests.at(-1)?.json as { model?: string } | undefined)?.model;
}

describe('endpoint profiles', () => {
  let server: TestServer;
  withTestEndpoint((started) => (server = started));

  afterEach(async () => {
    await setProfiles(undefined, undefined);
  });

  it('Select Profile switches: requests, the model choice and the status bar follow the profile', async () => {
    await setProfiles([{ name: 'Second', baseUrl: server.baseUrl, model: 'second-model', temperature: 0.3 }]);
    const { testing } = await streamChatApi();
    assert.equal(await vscode.commands.executeCommand('streamChat.selectProfile', 'Second'), 'Second');
    assert.match(testing.statusBar().text, /Second · second-model/);
    assert.match(testing.statusBar().tooltip, /Profile: Second/);

    await testing.chat.send('Hello?');
    assert.equal(lastChatModel(server), 'second-model');
    const sent = server.requests.at(-1)?.json as { temperature?: number };
    assert.equal(sent.temperature, 0.3, "the profile's own options go with it");

    // Choosing a model while a profile is in use changes that profile, not the plain settings.
    await vscode.commands.executeCommand('streamChat.selectModel', { model: 'third-model' });
    const config = vscode.workspace.getConfiguration('streamChat');
    const profiles = config.inspect<{ name: string; model: string }[]>('profiles')?.globalValue;
    assert.equal(profiles?.[0].model, 'third-model');
    assert.equal(config.inspect('model')?.globalValue, 'test-model', 'the Default profile keeps its model');

    await vscode.commands.executeCommand('streamChat.selectProfile', 'Default');
    await testing.chat.send('And now?');
    assert.equal(lastChatModel(server), 'test-model');
    assert.doesNotMatch(testing.statusBar().text, /Second/);
  });

  it('a profile that no longer exists is said so; the Default profile is used meanwhile', async () => {
    await setProfiles([{ name: 'a/b', baseUrl: server.baseUrl }], 'Gone');
    const api = await streamChatApi();
    const { testing } = api;
    await testing.chat.send('Logged?');
    assert.match(
      api.logLines().join('\n'),
      /streamChat\.profiles\[0\]: the name "a\/b" contains "\/"/,
      'a refused entry is logged',
    );
    assert.match(testing.statusBar().tooltip, /Profile "Gone" no longer exists: using the Default profile/);
    assert.equal(await vscode.commands.executeCommand('streamChat.selectProfile', 'Nowhere'), undefined);
  });

  it('a conversation remembers its profile: reopened, it goes on there; a deleted one is said so', async () => {
    await setProfiles([{ name: 'Lab', baseUrl: server.baseUrl, model: 'lab-model' }], 'Lab');
    const api = await streamChatApi();
    const { chat, history } = api.testing;
    await chat.send('Asked in the lab');
    const labConversation = chat.current.id;
    assert.equal(chat.current.profile, 'Lab');
    await history.flush();
    chat.newChat();
    await vscode.commands.executeCommand('streamChat.selectProfile', 'Default');
    await chat.send('Asked on Default');
    const defaultConversation = chat.current.id;
    await history.flush();
    const listed = await history.list();
    assert.equal(listed.find((data) => data.id === labConversation)?.profile, 'Lab', 'saved with it');

    assert.ok(await history.open(labConversation));
    assert.equal(api.testing.statusBar().text.includes('Lab · lab-model'), true, 'the profile is back in use');
    await chat.send('And a follow-up');
    assert.equal(lastChatModel(server), 'lab-model');

    // Gone: said so (log and a notification), and the profile in use stays.
    assert.ok(await history.open(defaultConversation));
    await setProfiles([], undefined);
    assert.ok(await history.open(labConversation));
    assert.match(api.logLines().join('\n'), /The reopened conversation's profile "Lab" no longer exists/);
    assert.doesNotMatch(api.testing.statusBar().text, /Lab/);
  });

  it('a reopened conversation goes back to the model of its last answer, unless its profile is gone', async () => {
    await setProfiles([{ name: 'Lab', baseUrl: server.baseUrl, model: 'first-model' }], 'Lab');
    const api = await streamChatApi();
    const { chat, history } = api.testing;
    await chat.send('Asked of the first model');
    const firstConversation = chat.current.id;
    await history.flush();
    chat.newChat();
    await vscode.commands.executeCommand('streamChat.selectModel', { model: 'second-model' });
    await chat.send('Asked of the second model');
    assert.equal(lastChatModel(server), 'second-model');
    await history.flush();

    assert.ok(await history.open(firstConversation));
    assert.match(api.testing.statusBar().text, /Lab · first-model/);
    await chat.send('A follow-up');
    assert.equal(lastChatModel(server), 'first-model');
    assert.match(api.logLines().join('\n'), /Model: first-model \(the reopened conversation's\)/);

    // Its profile gone: the model in use stays (a model of another server would not be there).
    chat.newChat();
    await setProfiles([], undefined);
    await vscode.commands.executeCommand('streamChat.selectModel', { model: 'default-model' });
    assert.ok(await history.open(firstConversation));
    assert.match(api.testing.statusBar().text, /default-model/);
  });
});
