// A real browser for tests: Debian's Chromium driven by playwright-core
// (headless, no sandbox: tests run as root in CI). Missing Chromium fails the
// test with the command that installs it — never a silent skip.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { Test } from 'tap';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

/** Launches headless Chromium for the test (closed at its end); fails naming the install command when it is missing. */
export async function launchBrowser(t: Test): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  t.teardown(() => browser.close());
  return browser;
}

/** A fresh context (its own cookies: one person), closed at the end of the test. */
export async function newContext(t: Test, browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: VIEWPORTS.desktop, ...options });
  t.teardown(() => context.close());
  return context;
}

/** Saves a screenshot as docs/screenshots/NAME.png (committed, shown in the README). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Read in the page, written as expressions: the tests are type-checked against Node's types, not the DOM's.

/** Bytes the page transferred (the document and every resource), from the browser's own timings. */
export function transferredBytes(page: Page): Promise<number> {
  return page.evaluate(`[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
    .reduce((sum, entry) => sum + entry.transferSize, 0)`);
}

/** Whether the page is wider than its viewport (it would scroll sideways on a phone). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth > window.innerWidth');
}

export interface PageLoad { transferredBytes: number; interactiveMs: number }

/** Bytes transferred by the page load (document, script, style, API reads) and time from navigation to the page's `snp-interactive` mark. */
async function pageLoad(page: Page): Promise<PageLoad> {
  await page.waitForFunction(() => performance.getEntriesByName('snp-interactive').length > 0, undefined, { timeout: 15_000 });
  return page.evaluate(() => {
    // The browser's Performance API (Node's types know other entry types).
    const perf = performance as unknown as { getEntriesByType(type: string): { transferSize: number }[]; getEntriesByName(name: string): { startTime: number }[] };
    const entries = [...perf.getEntriesByType('navigation'), ...perf.getEntriesByType('resource')];
    return { transferredBytes: entries.reduce((sum, e) => sum + e.transferSize, 0), interactiveMs: Math.round(perf.getEntriesByName('snp-interactive')[0]!.startTime) };
  });
}

/**
 * The page reloaded three times with the browser's cache off (README « Pages »):
 * the most bytes transferred and the median time to interactive. `ready` waits
 * for what the page shows once usable; the cache is back on at the end.
 */
export async function coldLoads(context: BrowserContext, page: Page, ready: () => Promise<unknown> = async () => {}): Promise<PageLoad & { samples: PageLoad[] }> {
  const cdp = await context.newCDPSession(page);
  // The flag applies only with the Network domain on: without it the browser revalidates the assets by their ETag (304s).
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const samples: PageLoad[] = [];
  for (let i = 0; i < 3; i++) {
    await page.reload();
    await ready();
    samples.push(await pageLoad(page));
  }
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  return {
    transferredBytes: Math.max(...samples.map((m) => m.transferredBytes)),
    interactiveMs: samples.map((m) => m.interactiveMs).sort((a, b) => a - b)[1]!,
    samples,
  };
}
