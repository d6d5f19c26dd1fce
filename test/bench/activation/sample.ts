// What one window of bench:activation reports, shared by the probe (in the extension host) and the
// launcher (plain Node, where 'vscode' cannot load).

export const PROBE_OUT_ENV = 'STREAM_CHAT_BENCH_ACTIVATION_OUT';

/** The globalThis property the probe extension's activate() and the probe test meet on. */
export const STARTUP_SIGNAL = 'streamChatBenchStartupSignal';

/** The probe extension's main: on onStartupFinished, tells the waiting probe test (or the one to come). */
export const PROBE_MAIN = `exports.activate = () => {
  let started;
  const finished = new Promise((resolve) => (started = resolve));
  const signal = (globalThis.${STARTUP_SIGNAL} ??= { finished, started });
  signal.started();
};
`;

/** An installed extension that loads the API and does nothing: what activate() costs any extension in that window. */
export const EMPTY_EXTENSION = { publisher: 'stream-chat-bench', name: 'empty-reference' };
export const EMPTY_MAIN = "require('vscode');\nexports.activate = () => ({});\n";

export interface ActivationSample {
  /** `extension.activate()` from the call to its settling, as another extension sees it (ms). */
  activateMs: number;
  /** The extension host's CPU time (user + system) during that call (ms). */
  activateCpuMs: number;
  /** The same call for the empty extension in the same window, just before or after (alternating). */
  emptyActivateMs: number;
  emptyActivateCpuMs: number;
  /** What activate() itself reports (`StreamChatApi.activationMs`): its body only, without loading the module. */
  insideMs: number;
  /** Whether the test API came back: false when the extension ran in Production mode, as for a user. */
  testMode: boolean;
  /** How long the extension host took to fall quiet before Stream Chat's activation was timed (ms). */
  quietAfterMs: number;
}
