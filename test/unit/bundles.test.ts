// The extension host's two bundles (esbuild.js): activation evaluates the core (dist/extension.js),
// which loads the surfaces (dist/surfaces.js) on first use. The core must not pull a surface, the
// client or the runner back in, and the VSIX must carry every bundle, or the first command fails.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { listFiles, PackageManager } from '@vscode/vsce';
import { repoRoot } from '../harness/paths';

/** The source files with code in the bundle of `entry` (after tree shaking), relative to the repository. */
async function inputsOf(entry: string): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: [path.join(repoRoot, entry)],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'silent',
  });
  const [output] = Object.values(result.metafile.outputs);
  return Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => path.relative(repoRoot, path.resolve(file)));
}

describe('extension host bundles', () => {
  it('the core activation evaluates holds no surface, client or runner code', async () => {
    const inputs = await inputsOf('src/extension.ts');
    const allowed = [
      /^src\/extension\.ts$/,
      /^src\/startup\/surfaceLoader\.ts$/,
      /^src\/host\/(config|log|secrets|statusBar|welcome)\.ts$/,
      /^src\/core\/(endpointPolicy|profiles|welcome)\.ts$/,
      /^src\/chat\/chatViewId\.ts$/,
      /^src\/lm\/(lazyModels|lmApi)\.ts$/,
      // Redaction and URL text helpers the log and the settings use (no client).
      /^src\/api\/(text|errors|decoder|responses)\.ts$/,
    ];
    const unexpected = inputs.filter((file) => !allowed.some((pattern) => pattern.test(file)));
    assert.deepEqual(unexpected, [], `compiled into dist/extension.js: ${unexpected.join(', ')}`);
  });

  it('the surfaces bundle has every surface', async () => {
    const inputs = new Set(await inputsOf('src/startup/surfaces.ts'));
    for (const file of [
      'src/chat/chatSession.ts',
      'src/history/chatHistory.ts',
      'src/ask/askCommands.ts',
      'src/insert/insertCommands.ts',
      'src/endpoint/endpointCommands.ts',
      'src/lm/modelProvider.ts',
      'src/api/client.ts',
    ])
      assert.ok(inputs.has(file), `${file} is in dist/surfaces.js`);
  });

  it("each host bundle copies the vscode API's names once, not once per module that imports it", () => {
    for (const bundle of ['extension.js', 'surfaces.js']) {
      const code = fs.readFileSync(path.join(repoRoot, 'dist', bundle), 'utf8');
      const loads = code.match(/require\(["']vscode["']\)/g) ?? [];
      assert.equal(loads.length, 1, `dist/${bundle} loads the vscode API ${loads.length} times`);
    }
  });

  it('the VSIX carries every bundle esbuild.js writes', async () => {
    const packaged = new Set(await listFiles({ cwd: repoRoot, packageManager: PackageManager.None }));
    const bundles = fs
      .readdirSync(path.join(repoRoot, 'dist'))
      .filter((file) => file.endsWith('.js'))
      .map((file) => `dist/${file}`)
      .sort();
    assert.deepEqual(bundles, ['dist/extension.js', 'dist/surfaces.js', 'dist/webview.js']);
    for (const bundle of bundles) assert.ok(packaged.has(bundle), `${bundle} is in the VSIX (.vscodeignore)`);
  });
});
