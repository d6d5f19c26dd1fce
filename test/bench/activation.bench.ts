// npm run bench:activation — how long Stream Chat's activation takes, from the outside, cold: each
// window of one code-server (a fresh extension host each) installs a production build of the extension (as a
// user's VSIX would put it) and runs activation/probe.bench.js in its extension host, which calls
// `getExtension('stream-chat.stream-chat').activate()` once. The installed copy's package.json has
// no activation events, so nothing activates it before the probe does. Prints median and spread,
// the bundles' sizes, checks the target (median ≤ 20 ms), writes test/bench/results/activation.json.
//
//   BENCH_ROUNDS=7 (fresh windows, one cold activation each)  STREAM_CHAT_TEST_VERBOSE=1 (workbench console)
//   BENCH_DIST=<dir> measures bundles built elsewhere (e.g. another checkout's `node esbuild.js --production`)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../harness/paths';
import { printSummary, runIntegration } from '../integration/launch-code-server';
import { EMPTY_EXTENSION, EMPTY_MAIN, PROBE_MAIN, PROBE_OUT_ENV, type ActivationSample } from './activation/sample';

const TARGET_MS = 20;

/** The extension as its VSIX installs it: production bundles, media, a manifest without activation events. */
function stageExtension(root: string): string {
  const folder = path.join(root, 'stream-chat');
  fs.mkdirSync(folder, { recursive: true });
  const prebuilt = process.env.BENCH_DIST;
  if (prebuilt) {
    fs.cpSync(prebuilt, path.join(folder, 'dist'), { recursive: true });
  } else {
    const built = spawnSync(process.execPath, ['esbuild.js', '--production'], {
      cwd: repoRoot,
      env: { ...process.env, STREAM_CHAT_DIST_DIR: path.join(folder, 'dist') },
      stdio: 'inherit',
    });
    if (built.status !== 0) throw new Error('the production build failed');
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...manifest, activationEvents: [] }, null, 2));
  fs.cpSync(path.join(repoRoot, 'media'), path.join(folder, 'media'), { recursive: true });
  return folder;
}

/** An empty extension to be "under development": the window runs the probe as its tests. */
function stageProbe(root: string): string {
  const folder = path.join(root, 'probe');
  fs.mkdirSync(folder, { recursive: true });
  const manifest = {
    name: 'activation-probe',
    publisher: 'stream-chat-bench',
    version: '0.0.0',
    engines: { vscode: '^1.95.0' },
    main: './main.js',
    activationEvents: ['onStartupFinished'],
  };
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(folder, 'main.js'), PROBE_MAIN);
  return folder;
}

/** The do-nothing extension activated beside ours: the part of activate() any extension pays. */
function stageEmpty(root: string): string {
  const folder = path.join(root, EMPTY_EXTENSION.name);
  fs.mkdirSync(folder, { recursive: true });
  const manifest = { ...EMPTY_EXTENSION, version: '0.0.0', engines: { vscode: '^1.95.0' }, main: './main.js' };
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...manifest, activationEvents: [] }));
  fs.writeFileSync(path.join(folder, 'main.js'), EMPTY_MAIN);
  return folder;
}

/** Sizes of the JavaScript files the build put in dist/, in bytes. */
function bundleSizes(extension: string): Record<string, number> {
  const dist = path.join(extension, 'dist');
  const files = fs.readdirSync(dist).filter((file) => file.endsWith('.js'));
  return Object.fromEntries(files.sort().map((file) => [file, fs.statSync(path.join(dist, file)).size]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One code-server, `rounds` windows one after the other: each a fresh extension host, one cold activation each. */
async function measure(extensions: string[], probe: string, out: string, rounds: number): Promise<ActivationSample[]> {
  const result = await runIntegration({
    passes: Array.from({ length: rounds }, () => 'trusted' as const),
    suiteDir: path.join(__dirname, 'activation'),
    suiteSuffix: '.bench.js',
    extensionDevelopmentPath: probe,
    linkExtensions: extensions,
    // No walkthrough: a usual start, not the first run.
    env: { [PROBE_OUT_ENV]: out, STREAM_CHAT_SKIP_WELCOME: '1' },
    timeoutMs: Number(process.env.STREAM_CHAT_TEST_TIMEOUT_MS ?? 15 * 60_000),
    log: process.env.STREAM_CHAT_TEST_VERBOSE ? undefined : () => undefined,
  });
  const samples = fs.existsSync(out)
    ? fs
        .readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as ActivationSample)
    : [];
  if (result.failed > 0 || result.errors.length > 0 || samples.length !== rounds) {
    printSummary('bench:activation', result);
    throw new Error(`${samples.length} of ${rounds} windows reported`);
  }
  return samples;
}

async function main(): Promise<void> {
  const started = Date.now();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-chat-bench-activation-'));
  try {
    const extension = stageExtension(root);
    const probe = stageProbe(root);
    const sizes = bundleSizes(extension);
    const installed = [extension, stageEmpty(root)];
    const samples = await measure(installed, probe, path.join(root, 'samples.jsonl'), rounds);
    samples.forEach((sample, index) => {
      if (sample.testMode) throw new Error('the extension ran in test mode, not as a user installs it');
      console.log(
        `  window ${index + 1}/${rounds}: activate() ${sample.activateMs.toFixed(1)} ms ` +
          `(CPU ${sample.activateCpuMs.toFixed(1)} ms; inside activate: ${sample.insideMs.toFixed(1)} ms; ` +
          `an empty extension: ${sample.emptyActivateMs.toFixed(1)} ms, ` +
          `CPU ${sample.emptyActivateCpuMs.toFixed(1)} ms; host quiet after ${sample.quietAfterMs.toFixed(0)} ms)`,
      );
    });
    const outside = samples.map((sample) => sample.activateMs);
    const inside = samples.map((sample) => sample.insideMs);
    const empty = samples.map((sample) => sample.emptyActivateMs);
    const beyondEmpty = samples.map((sample) => sample.activateMs - sample.emptyActivateMs);
    const cpu = samples.map((sample) => sample.activateCpuMs);
    const emptyCpu = samples.map((sample) => sample.emptyActivateCpuMs);
    const report = {
      rounds,
      build: process.env.BENCH_DIST ?? 'this checkout, node esbuild.js --production',
      activateMedianMs: median(outside),
      activateMinMs: Math.min(...outside),
      activateMaxMs: Math.max(...outside),
      activateCpuMedianMs: median(cpu),
      activateCpuMinMs: Math.min(...cpu),
      activateCpuMaxMs: Math.max(...cpu),
      insideMedianMs: median(inside),
      emptyCpuMedianMs: median(emptyCpu),
      emptyMedianMs: median(empty),
      beyondEmptyMedianMs: median(beyondEmpty),
      bundleBytes: sizes,
      samples,
    };
    console.log(
      `\n  activate(), cold, ${rounds} fresh windows: median ${report.activateMedianMs.toFixed(1)} ms, ` +
        `spread ${report.activateMinMs.toFixed(1)}–${report.activateMaxMs.toFixed(1)} ms ` +
        `(inside activate: median ${report.insideMedianMs.toFixed(1)} ms)`,
    );
    console.log(
      `  an empty extension in the same windows: median ${report.emptyMedianMs.toFixed(1)} ms; ` +
        `ours beyond it, per window: median ${report.beyondEmptyMedianMs.toFixed(1)} ms`,
    );
    console.log(
      `  extension host CPU during activate(): median ${report.activateCpuMedianMs.toFixed(1)} ms, ` +
        `spread ${report.activateCpuMinMs.toFixed(1)}–${report.activateCpuMaxMs.toFixed(1)} ms ` +
        `(an empty extension: median ${report.emptyCpuMedianMs.toFixed(1)} ms)`,
    );
    for (const [file, bytes] of Object.entries(sizes)) console.log(`  dist/${file}: ${(bytes / 1024).toFixed(1)} KB`);
    const ok = report.activateMedianMs <= TARGET_MS;
    console.log(`  ${ok ? '✓' : '✗'} median ≤ ${TARGET_MS} ms`);
    // A reduced run (fewer rounds) does not replace the recorded results.
    const name = process.env.BENCH_ROUNDS || process.env.BENCH_DIST ? 'activation.json.tmp' : 'activation.json';
    const file = path.join(repoRoot, 'test', 'bench', 'results', name);
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\n  written to ${path.relative(repoRoot, file)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
