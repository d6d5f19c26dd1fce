// Stream Chat: Select Profile… — switch between the Default profile (the plain settings) and the
// user's named profiles, save the current endpoint as a new profile, or edit them in settings.json.
import * as vscode from 'vscode';
import { DEFAULT_PROFILE_NAME } from '../core/profiles';
import type { Services } from '../host/services';

export const SELECT_PROFILE_COMMAND = 'streamChat.selectProfile';

interface ProfileItem extends vscode.QuickPickItem {
  run: () => Thenable<unknown>;
}

export function registerProfileCommands(services: Services): vscode.Disposable[] {
  return [vscode.commands.registerCommand(SELECT_PROFILE_COMMAND, (arg?: unknown) => selectProfile(services, arg))];
}

/** `arg` (tests, keybindings): a profile name to switch to without the picker. */
async function selectProfile(services: Services, arg: unknown): Promise<string | undefined> {
  const { config } = services;
  if (typeof arg === 'string') return switchTo(services, arg);
  const current = config.read();
  const profileItem = (name: string, detail: string): ProfileItem => ({
    label: name === current.profile.name ? `$(check) ${name}` : name,
    description: name === DEFAULT_PROFILE_NAME ? 'the plain settings' : undefined,
    detail,
    run: () => switchTo(services, name),
  });
  const defaults = config.read(DEFAULT_PROFILE_NAME);
  const items: (ProfileItem | vscode.QuickPickItem)[] = [
    profileItem(DEFAULT_PROFILE_NAME, `${defaults.endpoint.configuredBaseUrl} · ${defaults.model}`),
    ...config
      .profiles()
      .map((profile) => profileItem(profile.name, `${profile.baseUrl} · ${config.read(profile.name).model}`)),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    {
      label: '$(add) Save Current Endpoint as a Profile…',
      run: () => saveAsProfile(services),
    } satisfies ProfileItem,
    {
      label: '$(json) Edit Profiles in settings.json',
      run: () =>
        vscode.commands.executeCommand('workbench.action.openSettingsJson', {
          revealSetting: { key: 'streamChat.profiles' },
        }),
    } satisfies ProfileItem,
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Stream Chat: Select Profile',
    placeHolder: `In use: ${current.profile.name}`,
  });
  if (picked === undefined || !('run' in picked)) return undefined;
  await picked.run();
  return config.read().profile.name;
}

async function switchTo(services: Services, name: string): Promise<string | undefined> {
  const { config } = services;
  const exists = name === DEFAULT_PROFILE_NAME || config.profiles().some((profile) => profile.name === name);
  if (!exists) {
    void vscode.window.showErrorMessage(`Stream Chat: there is no profile "${name}" in streamChat.profiles.`);
    return undefined;
  }
  await config.activateProfile(name);
  services.log.info(`Profile: ${name}`);
  return name;
}

/** Writes the endpoint in use (base URL, model, headers) as a new named profile and switches to it. */
async function saveAsProfile(services: Services): Promise<void> {
  const { config } = services;
  const taken = new Set(
    [DEFAULT_PROFILE_NAME, ...config.profiles().map((profile) => profile.name)].map((n) => n.toLowerCase()),
  );
  const name = await vscode.window.showInputBox({
    title: 'Stream Chat: Save Profile',
    prompt: 'A name for the endpoint in use (its base URL, model and headers); the key stays in secret storage.',
    validateInput: (value) => {
      const trimmed = value.trim();
      if (trimmed === '') return 'Enter a name.';
      if (trimmed.includes('/')) return 'A profile name cannot contain "/".';
      return taken.has(trimmed.toLowerCase()) ? `"${trimmed}" is taken.` : undefined;
    },
  });
  if (name === undefined) return;
  const settings = config.read();
  await config.addProfile({
    name: name.trim(),
    baseUrl: settings.endpoint.configuredBaseUrl,
    model: settings.model,
    ...(Object.keys(settings.endpoint.headers).length > 0 ? { headers: settings.endpoint.headers } : {}),
  });
  await switchTo(services, name.trim());
}
