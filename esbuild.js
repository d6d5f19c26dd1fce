// One build script for every bundle:
//   node esbuild.js               extension host (node/cjs) + webview (browser) bundles into dist/
//   node esbuild.js --production  the same, minified, no sourcemaps (what the VSIX carries)
//   node esbuild.js --watch       rebuild on change
//   node esbuild.js --tests       the bundles plus src/ and test/ transpiled file by file into out/ for mocha
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
// Where the bundles go: dist/ unless a benchmark stages a build of its own elsewhere (bench:activation).
const distDir = process.env.STREAM_CHAT_DIST_DIR || 'dist';

/** @type {import('esbuild').Plugin} */
const reportProblems = {
  name: 'report-problems',
  setup(build) {
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [reportProblems],
};

/**
 * Every module's `import * as vscode from 'vscode'` would copy the API's several hundred names into
 * a namespace object of its own as the bundle loads (esbuild's CommonJS interop), about a millisecond
 * each: nine modules made most of activation. One shared module does that copy once for the bundle.
 * @type {import('esbuild').Plugin}
 */
const vscodeApiOnce = {
  name: 'vscode-api-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, ({ namespace }) =>
      namespace === 'vscode-api-once'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'vscode-api-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-api-once' }, () => ({
      contents: "export * from 'vscode';",
      loader: 'js',
    }));
  },
};

// Two extension-host bundles: the core activation evaluates (extension.js) and the surfaces it loads
// on first use (surfaces.js, by a require() esbuild does not follow: createRequire in
// src/startup/surfaceLoader.ts). They share no instance: modules both use (host/config, host/log, …) are
// compiled into each, and the core hands its instances to the surfaces; none keeps module-level state.
const hostBundle = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  plugins: [...common.plugins, vscodeApiOnce],
};

const bundles = [
  { ...hostBundle, entryPoints: ['src/extension.ts'], outfile: path.join(distDir, 'extension.js') },
  { ...hostBundle, entryPoints: ['src/startup/surfaces.ts'], outfile: path.join(distDir, 'surfaces.js') },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: path.join(distDir, 'webview.js'),
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

function tsFilesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== path.join('src', 'webview', 'main.ts'));
}

// Tests run from out/: every file transpiled on its own (no bundling), so test files import the
// real modules under out/src and mocha/vscode/openai resolve from node_modules at run time. The
// webview's modules are included (unit tests run them against a jsdom window), not its entry
// point main.ts, which talks to VS Code as soon as it loads.
const testBuild = {
  entryPoints: [...tsFilesUnder('src'), ...tsFilesUnder('test')],
  outdir: 'out',
  outbase: '.',
  bundle: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [reportProblems],
};

/**
 * The codicon font and its stylesheet, for the webview's buttons (webviews get no codicons of their
 * own), and the codicon the activity bar shows for the Stream Chat container.
 */
function copyCodicons() {
  const from = path.join('node_modules', '@vscode', 'codicons');
  const to = path.join(distDir, 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf'])
    fs.copyFileSync(path.join(from, 'dist', file), path.join(to, file));
  fs.copyFileSync(path.join(from, 'src', 'icons', 'comment-discussion-sparkle.svg'), path.join(to, 'stream-chat.svg'));
}

async function main() {
  copyCodicons();
  // A renamed or deleted test must not keep running from a stale out/ file.
  if (tests) fs.rmSync('out', { recursive: true, force: true });
  const configs = tests ? [...bundles, testBuild] : bundles;
  if (watch) {
    for (const config of configs) {
      const ctx = await esbuild.context(config);
      await ctx.watch();
    }
    console.log('[watch] build started');
    return;
  }
  await Promise.all(configs.map((config) => esbuild.build(config)));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
