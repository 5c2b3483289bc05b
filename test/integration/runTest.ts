/**
 * Runs the same integration suite in desktop VS Code (Electron) through @vscode/test-electron:
 *   npm run test:electron          (after: node esbuild.mjs && npx tsc -p .)
 *
 * Env LR_LENS_VSCODE_PATH: a local VS Code executable (e.g. /usr/share/code/code or the `Code.exe`/`Electron`
 * binary of an unpacked build). Without it, @vscode/test-electron downloads VS Code from
 * update.code.visualstudio.com, which is unreachable on offline machines: there, use
 * `node scripts/run-integration.mjs` (code-server) instead, which runs this very suite.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');   // out/test/integration -> repo
  const vscodeExecutablePath = process.env.LR_LENS_VSCODE_PATH || undefined;
  if (vscodeExecutablePath && !fs.existsSync(vscodeExecutablePath)) {
    throw new Error(`LR_LENS_VSCODE_PATH=${vscodeExecutablePath} does not exist`);
  }
  // Same isolation as the code-server route: a fresh copy of the fixture workspace and a private profile.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-electron-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(root, 'test', 'integration', 'workspace'), workspace, { recursive: true });
  // Fixtures that are also examples are copied from examples/, not kept twice.
  const fromExamples: string[] = JSON.parse(fs.readFileSync(path.join(root, 'test', 'integration', 'workspace-from-examples.json'), 'utf8'));
  for (const f of fromExamples) fs.copyFileSync(path.join(root, 'examples', f), path.join(workspace, f));
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off',
    'update.mode': 'none', 'extensions.autoUpdate': false, 'git.enabled': false,
  }));
  const resultsDir = path.join(root, 'test-results');
  fs.mkdirSync(resultsDir, { recursive: true });
  try {
    await runTests({
      vscodeExecutablePath,
      version: vscodeExecutablePath ? undefined : '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'index'),
      extensionTestsEnv: { LR_LENS_TEST_RESULTS: path.join(resultsDir, 'integration-electron.json') },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        `--user-data-dir=${userData}`, `--extensions-dir=${path.join(tmp, 'extensions')}`],
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  const msg = String((err as Error)?.message ?? err);
  console.error(`test:electron failed: ${msg}`);
  if (/ENOTFOUND|EAI_AGAIN|update\.code\.visualstudio\.com/.test(msg)) {
    console.error('VS Code could not be downloaded (offline?). Set LR_LENS_VSCODE_PATH to a local VS Code, or use `node scripts/run-integration.mjs`.');
  }
  process.exit(1);
});
