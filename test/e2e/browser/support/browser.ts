import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (never `playwright install`), with a fresh profile per launch.
 * Pages collect console errors, page errors and CSP violations so tests can assert there were none.
 */

export const CHROMIUM_PATH = process.env.GYM_ROLLOUTS_CHROMIUM ?? '/usr/bin/chromium';
export const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const ARTIFACTS_DIR = resolve(__dirname, '../../../../.test-artifacts/viewer');

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  problems: string[];
}

type Chromium = typeof import('playwright-core').chromium;

function chromium(): Chromium {
  // Loaded at run time so a bundled benchmark does not try to bundle playwright-core itself.
  const require = createRequire(join(process.cwd(), 'package.json'));
  return (require('playwright-core') as typeof import('playwright-core')).chromium;
}

export async function launchBrowser(options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<LaunchedBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'gym-viewer-chromium-'));
  const context = await chromium().launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: LAUNCH_ARGS,
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'dark',
    deviceScaleFactor: 1,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function openPage(browser: LaunchedBrowser): Promise<WatchedPage> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export type { Browser, Page };
