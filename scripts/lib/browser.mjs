// Launches Debian's chromium through playwright-core (a devDependency; it never downloads a browser).
import fs from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Headless chromium with a fresh temporary profile; fails with the reason when it cannot start. */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run bash scripts/setup-e2e.sh (apt-get install chromium)`);
  try {
    return await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // launch() makes its own temporary --user-data-dir; these keep chromium off the network and quiet.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
  } catch (e) {
    throw new Error(`chromium (${CHROMIUM}) did not start: ${e.message}`);
  }
}
