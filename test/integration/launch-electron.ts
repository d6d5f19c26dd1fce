// Runs the same integration suite in desktop VS Code through @vscode/test-electron (downloads VS Code
// into .vscode-test/ on first use, so it needs the VS Code update service; this machine's CI uses
// launch-code-server instead). Two runs: trusted (workspace trust disabled) and restricted.
//
//   npm run test:electron
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { integrationIndex, repoRoot } from '../harness/paths';
import { ReportEnv, type ReportEvent, type TrustMode } from './report';

async function runPass(pass: TrustMode, tempRoot: string): Promise<Extract<ReportEvent, { type: 'end' }>> {
  const workspace = path.join(tempRoot, `workspace-${pass}`);
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), '{}\n');
  const userDataDir = path.join(tempRoot, `user-data-${pass}`);
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' }),
  );
  const reportFile = path.join(tempRoot, `report-${pass}.json`);
  const exitCode = await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: integrationIndex,
    extensionTestsEnv: {
      [ReportEnv.file]: reportFile,
      [ReportEnv.trust]: pass,
      ...(process.env[ReportEnv.grep] ? { [ReportEnv.grep]: process.env[ReportEnv.grep] } : {}),
    },
    launchArgs: [
      workspace,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      path.join(tempRoot, `extensions-${pass}`),
      '--disable-extensions',
      ...(pass === 'trusted' ? ['--disable-workspace-trust'] : []),
    ],
  }).catch((error: unknown) => {
    console.error(`[${pass}] VS Code failed: ${String(error)}`);
    return 1;
  });
  if (!fs.existsSync(reportFile)) throw new Error(`[${pass}] no report (VS Code exit code ${exitCode})`);
  const end = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Extract<ReportEvent, { type: 'end' }>;
  if (end.total === 0) throw new Error(`[${pass}] zero tests ran`);
  return end;
}

async function main(): Promise<void> {
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-chat-electron-'));
  let failed = 0;
  try {
    for (const pass of ['trusted', 'restricted'] as const) {
      const end = await runPass(pass, tempRoot);
      for (const failure of end.failures) console.log(`FAILED ${failure.title}\n  ${failure.message}`);
      console.log(`[${pass}] ${end.counts.passed} passed, ${end.counts.failed} failed, ${end.counts.pending} skipped`);
      failed += end.counts.failed + (end.error ? 1 : 0);
    }
  } finally {
    fs.rmSync(tempRoot, { recursive: true, force: true });
  }
  if (failed > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
