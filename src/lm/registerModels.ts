// Registers Stream Chat's models with VS Code's language-model API where the editor has it (VS Code
// 1.104+); older VS Code and editors without it load the extension all the same, without them.
import type * as vscode from 'vscode';
import type { Services } from '../host/services';
import { providerRegistration } from './lmApi';
import { StreamChatModelProvider } from './modelProvider';
import { registerUseInChatCommand } from './useInChat';

/** The vendor VS Code and other extensions select our models by (`vscode.lm.selectChatModels`). */
export const LM_VENDOR = 'stream-chat';

export function registerLanguageModels(services: Services): vscode.Disposable[] {
  const command = registerUseInChatCommand(services);
  const register = providerRegistration();
  if (register === undefined) {
    services.log.info('This editor has no language-model provider API: Stream Chat models stay in Stream Chat.');
    return [command];
  }
  const provider = new StreamChatModelProvider(services);
  const registration = register(LM_VENDOR, provider);
  // The model picker asks for models only after the provider says they changed.
  provider.refresh();
  return [registration, provider, command];
}
