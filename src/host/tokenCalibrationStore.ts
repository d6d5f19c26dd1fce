// The learned characters-per-token ratios survive restarts in `globalState` (per origin and model;
// no path, query or key is stored). Saved after each answer that taught something.
import type * as vscode from 'vscode';
import { TokenCalibrations } from '../core/tokenCalibration';

const STATE_KEY = 'streamChat.tokenCalibrations';

/** The calibrations saved last time, saving themselves from now on; dispose to stop saving. */
export function loadTokenCalibrations(state: vscode.Memento): { calibrations: TokenCalibrations } & vscode.Disposable {
  const calibrations = new TokenCalibrations(state.get<unknown>(STATE_KEY));
  const saving = calibrations.onDidLearn(() => void state.update(STATE_KEY, calibrations.saved()));
  return { calibrations, dispose: () => saving.dispose() };
}
