// Stream Chat's models in VS Code's language-model API where the editor has it (VS Code 1.104+); older
// VS Code and editors without it load the extension all the same, without them. Activation registers
// the vendor with a stand-in (lazyModels.ts); this builds the real provider when the surfaces load.
import type * as vscode from 'vscode';
import type { Services } from '../host/services';
import { providerRegistration } from './lmApi';
import { StreamChatModelProvider } from './modelProvider';
import { registerUseInChatCommand } from './useInChat';

export { LM_VENDOR } from './lmApi';

export interface LanguageModels {
  /** Undefined where the editor has no provider API. */
  provider?: StreamChatModelProvider;
  disposables: vscode.Disposable[];
}

export function createLanguageModels(services: Services): LanguageModels {
  const command = registerUseInChatCommand(services);
  if (providerRegistration() === undefined) return { disposables: [command] };
  const provider = new StreamChatModelProvider(services);
  return { provider, disposables: [provider, command] };
}
