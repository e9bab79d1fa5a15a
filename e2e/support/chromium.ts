// Finds and launches the system Chromium for the end-to-end tests. A missing browser is a
// failure with instructions, never a silent skip.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_NOT_FOUND = 'Chromium not found: install it with `apt-get install -y chromium` or set CHROMIUM_PATH';

export function findChromium(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (fs.existsSync(configured)) return configured;
    throw new Error(`${CHROMIUM_NOT_FOUND} (CHROMIUM_PATH=${configured} does not exist)`);
  }
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error(CHROMIUM_NOT_FOUND);
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  // playwright gives every launch a fresh temporary profile (and every context a fresh, isolated
  // session), so nothing carries over from another run.
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
