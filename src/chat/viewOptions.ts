// The panel's layout choices (wrap code blocks…): made in the panel, kept by the host in the
// extension's global state so every window and every new panel starts with them.
import type * as vscode from 'vscode';
import type { ViewOptions } from '../protocol';

const WRAP_CODE_KEY = 'streamChat.view.wrapCode';

export class ViewOptionsStore {
  constructor(private readonly state: vscode.Memento) {}

  get(): ViewOptions {
    return { wrapCode: this.state.get<unknown>(WRAP_CODE_KEY) === true };
  }

  async setWrapCode(wrap: boolean): Promise<void> {
    await this.state.update(WRAP_CODE_KEY, wrap);
  }
}
