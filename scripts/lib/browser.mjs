// Launches Debian's chromium through playwright-core (a devDependency; it never downloads a browser).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Headless chromium with a fresh temporary profile; fails with the reason when it cannot start. */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run bash scripts/setup-e2e.sh (apt-get install chromium)`);
  // Without XDG_* chromium writes ~/.config/chromium (Crash Reports) and ~/.cache/chromium: keep them in a temp dir.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-chromium-'));
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache') },
      // launch() makes its own temporary --user-data-dir; these keep chromium off the network and quiet.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    browser.on('disconnected', () => fs.rmSync(home, { recursive: true, force: true }));
    return browser;
  } catch (e) {
    fs.rmSync(home, { recursive: true, force: true });
    throw new Error(`chromium (${CHROMIUM}) did not start: ${e.message}`);
  }
}
