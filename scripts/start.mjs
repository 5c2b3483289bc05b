// `npm start`: LR Lens in a real VS Code in your browser, on this machine only.
// Installs what is missing (scripts/setup-e2e.sh), builds and packages the extension, installs the .vsix into
// a fresh code-server profile, opens examples/ and prints the URL (127.0.0.1). Ctrl+C stops everything by PID.
//   npm start                      build + package, then serve
//   node scripts/start.mjs --vsix other.vsix   serve a given .vsix instead (no build)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRunDir, installExtension, startCodeServer } from './code-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vsixArg = process.argv.indexOf('--vsix');
const VSIX = vsixArg > 0 ? path.resolve(process.argv[vsixArg + 1] ?? '') : path.join(ROOT, 'lr-lens-0.1.0.vsix');
const log = (s) => console.log(`start: ${s}`);

/** Runs a build step in the foreground; exits with its reason when it fails. */
function run(what, cmd, args) {
  log(what);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`start: FAILED: ${what} (${r.error ? r.error.message : `exit ${r.status}`})`);
    process.exit(1);
  }
}

run('checking code-server and chromium (scripts/setup-e2e.sh)', 'bash', ['scripts/setup-e2e.sh']);
if (vsixArg < 0) run('building and packaging the extension (npm run package)', 'npm', ['run', '--silent', 'package']);

const profile = createRunDir({ prefix: 'lr-lens-start-' });
log((await installExtension(profile, VSIX)).split('\n').pop());
const folder = path.join(ROOT, 'examples');
const cs = await startCodeServer({ folder, run: profile, log });

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  log('stopping code-server');
  const leftovers = await cs.stop();
  if (leftovers.length) log(`stopped leftover processes ${leftovers.join(' ')}`);
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGHUP', shutdown);

console.log(`
  LR Lens is running in VS Code 1.100.3 (code-server 4.100.3):

      ${cs.url}/?folder=${encodeURIComponent(folder)}

  Open a file of examples/, hover a scheduler, click its CodeLens. Only this machine can connect (127.0.0.1);
  from elsewhere, forward the port (ssh -L ${cs.port}:127.0.0.1:${cs.port} …).
  Ctrl+C stops it.
`);
