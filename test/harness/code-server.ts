// One code-server process on loopback: a real VS Code (workbench in the browser, extension host in
// Node on this machine) with a fresh user-data-dir and extensions-dir, stopped with its whole
// process group.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCodeServer } from './install';

export interface CodeServerOptions {
  /** Folder the server opens by default (the `folder` of the workbench URL). */
  workspace: string;
  /** Written to `<user-data-dir>/User/settings.json` before start. */
  userSettings?: Record<string, unknown>;
  /** Extra environment for code-server; its extension hosts inherit it. */
  env?: Record<string, string>;
  /**
   * Workspace trust on (folders open in Restricted Mode until trusted). Default false: passes
   * `--disable-workspace-trust`. When on, the user setting `security.workspace.trust.enabled`
   * still decides per window load, so one server can serve a trusted and a restricted pass.
   */
  workspaceTrust?: boolean;
  /**
   * `--vscode-option enable-smoke-test-driver` (default true): the workbench honours the `payload`
   * URL parameter (extensionDevelopmentPath, extensionTestsPath) only with it, and it also
   * suppresses notification toasts (notifications then only reach the notifications center).
   */
  smokeTestDriver?: boolean;
  /**
   * Extension folders linked into the extensions-dir before start, so every window loads them as
   * installed extensions without a payload (and toasts show as for a user). Used by `npm start`
   * and the e2e suite: the link points at the working tree, so a rebuild plus window reload runs
   * the new code.
   */
  linkExtensions?: string[];
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  /** Receives every line code-server prints (default: kept for `logTail()` only). */
  onLog?: (line: string) => void;
  /** How long to wait for "HTTP server listening" (default 90 s). */
  startTimeoutMs?: number;
  /** Keep the temp dir (user data, logs) after stop, e.g. to inspect a failure. */
  keepTempDir?: boolean;
  /**
   * A user-data-dir kept between runs (`npm start`: the chat history, global state and the user's own
   * settings survive a restart); settings already in it win over `userSettings`. Default: a fresh
   * one in the temp dir.
   */
  persistentUserDataDir?: string;
}

export interface WorkbenchPayload {
  /** Folder to open; default the server's workspace. */
  folder?: string;
  /** Absolute local path of an extension to load as under development. */
  extensionDevelopmentPath?: string;
  /** Absolute local path of a compiled test index exporting `run()`. */
  extensionTestsPath?: string;
  /** Environment variables for the extension host of that window. */
  extensionEnvironment?: Record<string, string>;
}

export interface CodeServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly tempDir: string;
  readonly workspace: string;
  /** The workbench URL, with a smoke-test-driver `payload` when anything beyond the folder is asked. */
  url(payload?: WorkbenchPayload): string;
  /** Replaces the user settings.json (read by every window loaded afterwards). */
  writeUserSettings(settings: Record<string, unknown>): void;
  /** Resolves (with the exit code or signal) when the code-server process ends, for whatever reason. */
  readonly exited: Promise<string>;
  /** The last lines code-server printed, for failure messages. */
  logTail(lines?: number): string;
  /** Stops the server and everything it spawned; idempotent. */
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Keeps a server from drowning the test output in update checks, tours and trust prompts. */
export const quietUserSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

/** Links an extension folder into an extensions-dir under the `publisher.name-version` VS Code expects. */
function linkExtension(folder: string, extensionsDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  fs.symlinkSync(
    path.resolve(folder),
    path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`),
    'dir',
  );
}

// Process groups still alive; killed synchronously if this process exits without stopping them.
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const install = await ensureCodeServer();
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-chat-code-server-'));
  const userDataDir = options.persistentUserDataDir ?? path.join(tempDir, 'user-data');
  const extensionsDir = path.join(tempDir, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  for (const folder of options.linkExtensions ?? []) linkExtension(folder, extensionsDir);
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  const writeUserSettings = (settings: Record<string, unknown>) =>
    fs.writeFileSync(settingsFile, JSON.stringify({ ...quietUserSettings, ...settings }, null, 2));
  const kept = options.persistentUserDataDir !== undefined ? readSettings(settingsFile) : {};
  writeUserSettings({ ...options.userSettings, ...kept });

  const args = [
    install.entry,
    '--config',
    path.join(tempDir, 'config.yaml'), // never the user's ~/.config/code-server
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(options.smokeTestDriver === false ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    options.workspace,
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  // Hooks of an enclosing VS Code terminal would make code-server talk to that VS Code.
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  const child: ChildProcess = spawn(install.node, args, {
    cwd: tempDir,
    env,
    detached: true, // its own process group: stop() kills the extension hosts and watchers with it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('code-server did not start (no pid)');
  const pid = child.pid;
  liveGroups.add(pid);

  const log: string[] = [];
  let exited: string | undefined;
  const listeners = new Set<(line: string) => void>();
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      log.push(line);
      if (log.length > 400) log.shift();
      options.onLog?.(line);
      for (const listener of listeners) listener(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exitedPromise = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `code ${code ?? signal}`;
      liveGroups.delete(pid);
      resolve(exited);
    }),
  );
  const logTail = (lines = 40) => log.slice(-lines).join('\n');

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5000);
      await exitedPromise;
      clearTimeout(timer);
    }
    // Extension hosts may outlive the main process for a moment; take the whole group down.
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    liveGroups.delete(pid);
    if (!options.keepTempDir) fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
  };

  const startTimeoutMs = options.startTimeoutMs ?? 90_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`code-server did not report listening within ${startTimeoutMs / 1000} s`)),
        startTimeoutMs,
      );
      const listener = (line: string) => {
        if (/HTTP server listening on/i.test(line)) {
          clearTimeout(timer);
          listeners.delete(listener);
          resolve();
        }
      };
      listeners.add(listener);
      void exitedPromise.then(() => {
        clearTimeout(timer);
        reject(new Error(`code-server exited during start (${exited})`));
      });
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- code-server log tail ---\n${logTail()}`);
  }

  const remoteUri = (localPath: string) => `vscode-remote://127.0.0.1:${port}${path.resolve(localPath)}`;
  const url = (payload: WorkbenchPayload = {}) => {
    const folder = payload.folder ?? options.workspace;
    const entries: [string, string][] = [];
    if (payload.extensionDevelopmentPath)
      entries.push(['extensionDevelopmentPath', remoteUri(payload.extensionDevelopmentPath)]);
    if (payload.extensionTestsPath) entries.push(['extensionTestsPath', remoteUri(payload.extensionTestsPath)]);
    if (payload.extensionEnvironment)
      entries.push(['extensionEnvironment', JSON.stringify(payload.extensionEnvironment)]);
    let result = `${origin}/?folder=${encodeURIComponent(path.resolve(folder))}`;
    if (entries.length > 0) result += `&payload=${encodeURIComponent(JSON.stringify(entries))}`;
    return result;
  };

  return {
    port,
    origin,
    userDataDir,
    extensionsDir,
    tempDir,
    workspace: options.workspace,
    url,
    writeUserSettings,
    exited: exitedPromise,
    logTail,
    stop,
  };
}

/** The settings a kept user-data-dir already has (none when the file is missing or not a JSON object). */
function readSettings(file: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {}; // first run, or a file with comments a person wrote: start from ours
  }
}
