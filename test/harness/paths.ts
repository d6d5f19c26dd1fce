// Where things live. Compiled files run from out/test/..., sources from test/...; both find the
// repository root by walking up to the package.json of this extension.
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'stream-chat') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the stream-chat package.json above ${start}`);
    dir = parent;
  }
}

export const repoRoot = findRepoRoot(__dirname);
/** Cached installs (git-ignored), like @vscode/test-electron's own cache folder. */
export const cacheDir = path.join(repoRoot, '.vscode-test');
/** The compiled integration suite entry (the extensionTestsPath). */
export const integrationIndex = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
export const screenshotsDir = path.join(repoRoot, 'test', 'e2e', 'screenshots');
export const chromiumPath = process.env.STREAM_CHAT_CHROMIUM ?? '/usr/bin/chromium';
