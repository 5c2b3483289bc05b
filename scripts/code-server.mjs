// Starts and stops an isolated code-server (VS Code 1.100.3 served to a browser) on 127.0.0.1.
// Everything it writes goes to a fresh temp folder: --config, --user-data-dir, --extensions-dir and XDG_*,
// so nothing lands in $HOME and runs never see each other's state.
//
// Library:  import { startCodeServer, installExtension, createRunDir } from './code-server.mjs'
// CLI:      node scripts/code-server.mjs <folder> [--vsix file.vsix]   (prints the URL, runs until Ctrl+C)
// Env:      LR_LENS_CODE_SERVER  code-server binary (default: the one scripts/setup-e2e.sh installs)
//           LR_LENS_CACHE        cache folder of setup-e2e.sh (default $HOME/.cache/lr-lens)
//           LR_LENS_KEEP_RUN=1   keep the temp folder after stop (for debugging)
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { processTree, stopTree, cmdline } from './lib/proc.mjs';

export const CS_VERSION = '4.100.3';

/** User settings for a test profile: no trust prompt, no welcome page, no telemetry or update checks. */
export const TEST_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'files.hotExit': 'off',
  // Fixture edits must never reach the disk on their own (a later suite reads the fixture from disk).
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
};

/** The code-server binary, or throws with what to run. */
export function codeServerBin() {
  const bin = process.env.LR_LENS_CODE_SERVER || path.join(process.env.LR_LENS_CACHE || path.join(os.homedir(), '.cache', 'lr-lens'),
    `code-server-${CS_VERSION}`, 'node_modules', '.bin', 'code-server');
  if (!fs.existsSync(bin)) throw new Error(`code-server not found at ${bin}: run bash scripts/setup-e2e.sh first`);
  return bin;
}

/**
 * Creates the isolated folders for one code-server instance and writes the user settings.
 * @param {{ settings?: Record<string, unknown>, prefix?: string }} [opts]
 */
export function createRunDir({ settings = {}, prefix = 'lr-lens-cs-' } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const run = {
    dir,
    config: path.join(dir, 'config.yaml'),
    userData: path.join(dir, 'data'),
    extensions: path.join(dir, 'ext'),
    log: path.join(dir, 'code-server.log'),
    xdg: {
      XDG_CONFIG_HOME: path.join(dir, 'xdg', 'config'),
      XDG_DATA_HOME: path.join(dir, 'xdg', 'data'),
      XDG_CACHE_HOME: path.join(dir, 'xdg', 'cache'),
      XDG_STATE_HOME: path.join(dir, 'xdg', 'state'),
    },
  };
  for (const d of [path.join(run.userData, 'User'), run.extensions, ...Object.values(run.xdg)]) fs.mkdirSync(d, { recursive: true });
  // An explicit (empty) --config keeps code-server from writing ~/.config/code-server/config.yaml with a password.
  fs.writeFileSync(run.config, '');
  fs.writeFileSync(path.join(run.userData, 'User', 'settings.json'), JSON.stringify({ ...TEST_SETTINGS, ...settings }, null, 2));
  return run;
}

/** The arguments that point code-server at the run's private folders. */
function dirArgs(run) {
  return ['--config', run.config, '--user-data-dir', run.userData, '--extensions-dir', run.extensions];
}

/** Installs a .vsix into the run's extensions folder; throws with code-server's output on failure. */
export async function installExtension(run, vsix) {
  const { stdout, stderr } = await promisify(execFile)(codeServerBin(), [...dirArgs(run), '--install-extension', path.resolve(vsix)],
    { env: { ...process.env, ...run.xdg }, timeout: 120_000 }).catch((e) => { throw new Error(`--install-extension ${vsix} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`); });
  if (!/successfully installed/.test(stdout + stderr)) throw new Error(`--install-extension ${vsix}: unexpected output:\n${stdout}${stderr}`);
  return (stdout + stderr).trim();
}

/** A port that was free a moment ago on 127.0.0.1 (code-server is retried if it races). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

/**
 * Starts code-server on 127.0.0.1 and waits until it says it listens (its "HTTP server listening on" log line),
 * then checks /healthz once.
 * @param {{ folder?: string, env?: Record<string,string>, run?: ReturnType<typeof createRunDir>,
 *           settings?: Record<string, unknown>, timeoutMs?: number, log?: (s: string) => void }} opts
 * @returns {Promise<{ url: string, port: number, authority: string, pid: number, run: object, startMs: number,
 *                     remoteUri: (p: string) => string, stop: () => Promise<number[]> }>}
 */
export async function startCodeServer({ folder, env = {}, run, settings, timeoutMs = 60_000, log = () => {} } = {}) {
  const bin = codeServerBin();
  run ??= createRunDir({ settings });
  let lastError = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const t0 = Date.now();
    const args = [...dirArgs(run), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
      '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', ...(folder ? [path.resolve(folder)] : [])];
    // The Node extension host inherits this environment: that is how tests pass settings to the extension under test.
    const child = spawn(bin, args, { env: { ...process.env, ...run.xdg, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const logFile = fs.createWriteStream(run.log, { flags: 'a' });
    const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve(`exit code ${code}${sig ? ` signal ${sig}` : ''}`)));
    const listening = new Promise((resolve) => {
      let tail = '';
      for (const stream of [child.stdout, child.stderr]) {
        stream.on('data', (chunk) => {
          logFile.write(chunk);
          tail = (tail + chunk.toString()).slice(-4096);
          if (/HTTP server listening on/.test(tail)) resolve('listening');
        });
      }
    });
    let timer;
    const outcome = await Promise.race([listening, exited,
      new Promise((resolve) => { timer = setTimeout(() => resolve(null), timeoutMs); })]);
    clearTimeout(timer);
    const url = `http://127.0.0.1:${port}`;
    const healthy = outcome === 'listening' && await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (healthy) {
      const authority = `127.0.0.1:${port}`;
      log(`code-server ${CS_VERSION} pid ${child.pid} ready on ${url} in ${Date.now() - t0} ms (run dir ${run.dir})`);
      return {
        url, port, authority, pid: child.pid, run, startMs: Date.now() - t0,
        /** A vscode-remote URI for a path on this machine (the remote authority is the Host the browser uses). */
        remoteUri: (p) => `vscode-remote://${authority}${path.resolve(p)}`,
        stop: async () => {
          const tree = processTree(child.pid);
          log(`stopping code-server tree: ${tree.map((p) => `${p} ${cmdline(p).split(' ').slice(0, 3).join(' ')}`).join(' | ')}`);
          const killed = await stopTree(child.pid, { log, exited });
          logFile.end();
          if (!process.env.LR_LENS_KEEP_RUN) fs.rmSync(run.dir, { recursive: true, force: true });
          return killed;
        },
      };
    }
    if (outcome !== null && outcome !== 'listening') {
      lastError = `code-server exited before listening (${outcome})`;
    } else {
      await stopTree(child.pid, { log, exited });
      lastError = outcome === 'listening' ? `code-server said it listens on ${url} but /healthz does not answer`
        : `code-server did not listen on ${url} within ${timeoutMs} ms (stopped)`;
    }
    await new Promise((resolve) => logFile.end(resolve));
    const tail = fs.readFileSync(run.log, 'utf8').split('\n').slice(-25).join('\n');
    lastError += `; log tail:\n${tail}`;
    if (!/EADDRINUSE/.test(tail)) break;   // only a lost port race is worth another attempt
    log(`port ${port} was taken, retrying`);
  }
  throw new Error(lastError);
}

// ---- CLI ------------------------------------------------------------------------------------------
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const argv = process.argv.slice(2);
  const vsixAt = argv.indexOf('--vsix');
  const vsix = vsixAt >= 0 ? argv.splice(vsixAt, 2)[1] : null;
  const folder = argv[0] ?? process.cwd();
  const log = (s) => console.log(`code-server: ${s}`);
  const run = createRunDir();
  if (vsix) log(await installExtension(run, vsix));
  const cs = await startCodeServer({ folder, run, log });
  console.log(`\n  Open ${cs.url}/?folder=${encodeURIComponent(path.resolve(folder))}\n  (Ctrl+C stops it)\n`);
  let stopping = false;
  const shutdown = async () => { if (stopping) return; stopping = true; await cs.stop(); process.exit(0); };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
