// The first run (src/core/welcome.ts): the walkthrough opens once per user, the chat view with it;
// test windows open nothing; `npm start` shows the chat at every start.
import * as assert from 'node:assert/strict';
import {
  readWelcomeEnvironment,
  runWelcome,
  WALKTHROUGH_SHOWN_KEY,
  type FlagStore,
  type WelcomeActions,
} from '../../src/core/welcome';

/** The extension's global state as a map (vscode.Memento's get/update). */
class MapStore implements FlagStore {
  readonly values = new Map<string, unknown>();
  get(key: string): unknown {
    return this.values.get(key);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

/** Records what the welcome did, in order; `failing` names an action that throws. */
function recordingActions(failing?: keyof WelcomeActions): WelcomeActions & { done: string[] } {
  const done: string[] = [];
  const run = (name: keyof WelcomeActions) => async () => {
    done.push(name);
    if (name === failing) throw new Error(`${name} is not available`);
  };
  return { done, revealChat: run('revealChat'), openWalkthrough: run('openWalkthrough') };
}

const plain = readWelcomeEnvironment({});

describe('first run: the walkthrough and the chat view', () => {
  it('the first activation shows the chat view, then opens the walkthrough, and sets the flag', async () => {
    const store = new MapStore();
    const actions = recordingActions();
    const outcome = await runWelcome(store, plain, false, actions);
    assert.deepEqual(actions.done, ['revealChat', 'openWalkthrough']);
    assert.equal(outcome.walkthrough, 'opened');
    assert.equal(outcome.chatRevealed, true);
    assert.equal(store.get(WALKTHROUGH_SHOWN_KEY), true);
    assert.match(outcome.note, /^Welcome: walkthrough opened; chat view shown$/);
  });

  it('later activations open nothing: the walkthrough once per user, the views as the user left them', async () => {
    const store = new MapStore();
    await runWelcome(store, plain, false, recordingActions());
    for (let activation = 2; activation <= 3; activation++) {
      const actions = recordingActions();
      const outcome = await runWelcome(store, plain, false, actions);
      assert.deepEqual(actions.done, [], `activation ${activation}`);
      assert.equal(outcome.walkthrough, 'already shown');
    }
  });

  it('STREAM_CHAT_OPEN_CHAT=1 (npm start) shows the chat view at every start, the walkthrough still once', async () => {
    const store = new MapStore();
    const environment = readWelcomeEnvironment({ STREAM_CHAT_OPEN_CHAT: '1' });
    const first = recordingActions();
    await runWelcome(store, environment, false, first);
    assert.deepEqual(first.done, ['revealChat', 'openWalkthrough']);
    const second = recordingActions();
    const outcome = await runWelcome(store, environment, false, second);
    assert.deepEqual(second.done, ['revealChat']);
    assert.equal(outcome.walkthrough, 'already shown');
  });

  it('STREAM_CHAT_SKIP_WELCOME=1 and extension tests open nothing and leave the first run for later', async () => {
    for (const [environment, testMode, why] of [
      [readWelcomeEnvironment({ STREAM_CHAT_SKIP_WELCOME: '1', STREAM_CHAT_OPEN_CHAT: '1' }), false, /SKIP_WELCOME/],
      [plain, true, /extension tests/],
    ] as const) {
      const store = new MapStore();
      const actions = recordingActions();
      const outcome = await runWelcome(store, environment, testMode, actions);
      assert.deepEqual(actions.done, []);
      assert.equal(outcome.walkthrough, 'skipped');
      assert.match(outcome.note, why);
      assert.equal(store.get(WALKTHROUGH_SHOWN_KEY), undefined, 'a skipped welcome is not a seen one');
    }
  });

  it('a walkthrough that cannot open is reported and not tried again at every start', async () => {
    const store = new MapStore();
    const outcome = await runWelcome(store, plain, false, recordingActions('openWalkthrough'));
    assert.equal(outcome.walkthrough, 'failed');
    assert.match(outcome.note, /the walkthrough could not be opened: Error: openWalkthrough is not available/);
    const again = recordingActions();
    await runWelcome(store, plain, false, again);
    assert.deepEqual(again.done, []);
  });

  it('a chat view that cannot be shown does not keep the walkthrough from opening', async () => {
    const actions = recordingActions('revealChat');
    const outcome = await runWelcome(new MapStore(), plain, false, actions);
    assert.deepEqual(actions.done, ['revealChat', 'openWalkthrough']);
    assert.equal(outcome.walkthrough, 'opened');
    assert.equal(outcome.chatRevealed, false);
    assert.match(outcome.note, /the chat view could not be shown/);
  });

  it('only "1" turns the variables on', () => {
    assert.deepEqual(readWelcomeEnvironment({ STREAM_CHAT_SKIP_WELCOME: '0', STREAM_CHAT_OPEN_CHAT: '' }), {
      skip: false,
      openChat: false,
    });
    assert.deepEqual(readWelcomeEnvironment({ STREAM_CHAT_SKIP_WELCOME: '1', STREAM_CHAT_OPEN_CHAT: '1' }), {
      skip: true,
      openChat: true,
    });
  });
});
