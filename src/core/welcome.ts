// What activation shows a person: on the first run the walkthrough (once per user, a flag in the
// extension's global state) and the chat view beside it, so something points to the chat after
// install. No 'vscode' import: the host passes the flag store and the two actions.

/** The walkthrough's id in package.json (contributes.walkthroughs). */
export const WALKTHROUGH_ID = 'gettingStarted';

/** The global-state key set once the walkthrough has been opened (synced across machines). */
export const WALKTHROUGH_SHOWN_KEY = 'streamChat.walkthroughShown';

/** Environment variables read once at activation (the extension host's environment). */
export interface WelcomeEnvironment {
  /** `STREAM_CHAT_SKIP_WELCOME=1`: open nothing (test windows whose layout and focus tests rely on). */
  skip: boolean;
  /** `STREAM_CHAT_OPEN_CHAT=1`: show the chat view at every start (`npm start`), not only the first. */
  openChat: boolean;
}

export function readWelcomeEnvironment(env: Record<string, string | undefined>): WelcomeEnvironment {
  return { skip: env.STREAM_CHAT_SKIP_WELCOME === '1', openChat: env.STREAM_CHAT_OPEN_CHAT === '1' };
}

/** Where the flag lives: the extension's global state (vscode.Memento has this shape). */
export interface FlagStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

export interface WelcomeActions {
  revealChat(): Thenable<unknown>;
  openWalkthrough(): Thenable<unknown>;
}

export interface WelcomeOutcome {
  walkthrough: 'opened' | 'already shown' | 'skipped' | 'failed';
  chatRevealed: boolean;
  /** What went wrong (a warning in the log). */
  problems: string[];
  /** One line for the log: what was done and why. */
  note: string;
}

/**
 * Runs what this activation should show. The flag is set before the walkthrough opens, so a window
 * closed in between, or a VS Code that cannot open it, never shows it again on every start.
 * `testMode` (ExtensionMode.Test: the integration windows) opens nothing, like `skip`.
 */
export async function runWelcome(
  store: FlagStore,
  environment: WelcomeEnvironment,
  testMode: boolean,
  actions: WelcomeActions,
): Promise<WelcomeOutcome> {
  if (environment.skip || testMode) {
    const why = environment.skip ? 'STREAM_CHAT_SKIP_WELCOME=1' : 'extension tests';
    return { walkthrough: 'skipped', chatRevealed: false, problems: [], note: `Welcome: nothing opened (${why})` };
  }
  const firstRun = store.get(WALKTHROUGH_SHOWN_KEY) !== true;
  let chatRevealed = false;
  const problems: string[] = [];
  if (firstRun || environment.openChat) {
    try {
      await actions.revealChat();
      chatRevealed = true;
    } catch (error) {
      problems.push(`the chat view could not be shown: ${String(error)}`);
    }
  }
  let walkthrough: WelcomeOutcome['walkthrough'] = 'already shown';
  if (firstRun) {
    await store.update(WALKTHROUGH_SHOWN_KEY, true);
    try {
      await actions.openWalkthrough();
      walkthrough = 'opened';
    } catch (error) {
      walkthrough = 'failed';
      problems.push(`the walkthrough could not be opened: ${String(error)}`);
    }
  }
  const done = [`walkthrough ${walkthrough}`, chatRevealed ? 'chat view shown' : 'chat view left as it was'];
  return { walkthrough, chatRevealed, problems, note: `Welcome: ${[...done, ...problems].join('; ')}` };
}
