// Registers Stream Chat's vendor at activation with a stand-in provider: VS Code knows the models
// exist at once, and the real provider (with the client and the runner) loads on its first question.
import * as vscode from 'vscode';
import type { StreamChatLog } from '../host/log';
import { LM_VENDOR, providerRegistration, type LanguageModelChatProvider } from './lmApi';

export function registerModelsOnDemand(
  log: StreamChatLog,
  loadProvider: () => LanguageModelChatProvider | undefined,
): vscode.Disposable[] {
  const register = providerRegistration();
  if (register === undefined) {
    log.info('This editor has no language-model provider API: Stream Chat models stay in Stream Chat.');
    return [];
  }
  const changed = new vscode.EventEmitter<void>();
  let relay: vscode.Disposable | undefined;
  let real: LanguageModelChatProvider | undefined;
  const provider = (): LanguageModelChatProvider => {
    if (real) return real;
    const loaded = loadProvider();
    if (!loaded) throw new Error('Stream Chat models could not be loaded');
    real = loaded;
    relay = loaded.onDidChangeLanguageModelChatInformation?.(() => changed.fire());
    return loaded;
  };
  const standIn: LanguageModelChatProvider = {
    onDidChangeLanguageModelChatInformation: changed.event,
    provideLanguageModelChatInformation: (options, token) =>
      provider().provideLanguageModelChatInformation(options, token),
    provideLanguageModelChatResponse: (model, messages, options, progress, token) =>
      provider().provideLanguageModelChatResponse(model, messages, options, progress, token),
    provideTokenCount: (model, text, token) => provider().provideTokenCount(model, text, token),
  };
  const registration = register(LM_VENDOR, standIn);
  // The model picker asks for models only after the provider says they changed.
  changed.fire();
  return [
    registration,
    changed,
    {
      dispose: () => {
        relay?.dispose();
      },
    },
  ];
}
