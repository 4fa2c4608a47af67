// Debian's chromium driven by playwright-core (its own browser download cannot work here). The
// browser tests skip only when /usr/bin/chromium is missing (CI installs it: apt-get install -y
// chromium); any other failure to start fails them.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** The node:test `skip` option of every browser test: false, or why they cannot run. */
export const skipBrowser: string | false = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the real-browser tests`;
if (skipBrowser) console.log(`# skipping the browser tests: ${skipBrowser}`);

// --no-sandbox: CI runs as root; the network flags keep chromium off this closed network.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** A browser context on a fresh profile folder; close() removes it. Console errors of pages are collected. */
export async function launchChromium(): Promise<{ context: BrowserContext; errors: string[]; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'quantkit-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, acceptDownloads: true, timeout: 60_000 });
  const errors: string[] = [];
  context.on('weberror', (e) => errors.push(String(e.error())));
  context.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return {
    context,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
