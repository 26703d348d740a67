import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRolloutSet, makeTempDir, serialize, writeJsonl, xssRollout } from '../../support/rollout_fixtures';
import { launchBrowser, openPage, type LaunchedBrowser, type Page } from './support/browser';
import { startNgViewer, type RunningViewer } from './support/viewer_process';
import { buildWebviewBundle } from './support/webview_bundle';

/**
 * The page's first screen: ng_viewer writes the list's first rows into the page when the file is indexed, so they
 * are on screen before the bundle runs; the page takes over with its live list; requests go over one WebSocket.
 */

type Perf = { firstRowsAt: number | null; liveRowsAt: number | null };

const INJECTED = '#app script, #app img, #app iframe, #app svg, #app object, #app embed, #app [onerror], #app [onload], #app [onmouseover], #app a[href]';

async function previewTexts(page: Page, url: string): Promise<string[]> {
  const html = await (await page.request.get(url)).text();
  return page.evaluate((text) => [...new DOMParser().parseFromString(text, 'text/html').querySelectorAll('.boot-row .vrow-text')].map((e) => e.textContent ?? ''), html);
}

describe('the first screen', () => {
  let viewer: RunningViewer;
  let browser: LaunchedBrowser;
  let rollouts: number;

  beforeAll(async () => {
    process.env.GYM_ROLLOUTS_WEBVIEW_DIR = await buildWebviewBundle();
    const dir = makeTempDir('gym-viewer-first-');
    const set = generateRolloutSet({ tasks: 25, repeats: 2, withIndices: true, datasetFields: true, seed: 909 });
    const lines = [serialize(xssRollout(), 'compact'), ...set.lines];
    rollouts = lines.length;
    viewer = await startNgViewer([writeJsonl(join(dir, 'first_screen.jsonl'), lines), '--no-watch'], dir);
    browser = await launchBrowser({ colorScheme: 'dark' });
  });

  afterAll(async () => {
    await browser.close();
    await viewer.stop();
  });

  it('shows the first rows before the page script runs, with every value from the file as text', async () => {
    // No problem watcher: the bundle is refused on purpose, and the browser says so in the console.
    const page = await browser.context.newPage();
    await page.route('**/viewer.js', (route) => route.abort());
    await page.goto(viewer.url);
    const rows = page.locator('.boot-preview .boot-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(40);
    expect(await page.locator('.boot-preview .file-chip').textContent()).toBe(`first_screen.jsonl · ${rollouts} rollouts · ${await page.locator('.boot-preview .file-chip .muted').evaluate((e) => (e.textContent ?? '').split(' · ').pop())}`);
    const first = (await rows.first().locator('.vrow-text').textContent()) ?? '';
    expect(first).toContain('<img src=x onerror="window.__pwned=1');
    expect(first).toContain('<script>window.__pwned=2');
    expect(await rows.first().locator('.c-category').textContent()).toBe('<b onmouseover="window.__pwned=3">xss</b>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.evaluate((selector) => document.querySelectorAll(selector).length, INJECTED)).toBe(0);
    // Painted with the page's first paint (the browser's own record of it).
    expect(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint').length)).toBe(1);
    await page.close();
  });

  it('hands over to the live list showing the same rows, and times both', async () => {
    const { page, problems } = await openPage(browser);
    const expected = await previewTexts(page, viewer.url);
    await page.goto(viewer.url);
    await page.locator('.boot-preview').waitFor({ state: 'hidden' });
    await page.locator('.tab-rollouts .vrow .pill:not(.none)').first().waitFor();
    const live = await page.locator('.tab-rollouts .vlist .vrow .vrow-text').evaluateAll((list) => list.map((e) => e.textContent ?? ''));
    expect(live.slice(0, 10)).toEqual(expected.slice(0, 10));
    // The host's rows leave the page once the browser has reported their paint, which came before the live rows'.
    await page.locator('.boot-preview').waitFor({ state: 'detached' });
    await page.waitForFunction(() => (window as unknown as { gymRolloutsViewer: { perf: Perf } }).gymRolloutsViewer.perf.liveRowsAt !== null);
    const perf = await page.evaluate(() => (window as unknown as { gymRolloutsViewer: { perf: Perf } }).gymRolloutsViewer.perf);
    expect(perf.firstRowsAt).not.toBeNull();
    expect(perf.firstRowsAt as number).toBeLessThan(perf.liveRowsAt as number);
    // The live list works: a click opens the rollout.
    await page.locator('.tab-rollouts .vlist .vrow').nth(2).click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.tab-rollouts .detail-pane')?.dataset.entry === '2');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('asks the host over one WebSocket, and over POST when the socket is refused', async () => {
    const { page, problems } = await openPage(browser);
    let posts = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/request')) posts++;
    });
    const open = async (entry: number) => {
      await page.evaluate((n) => (location.hash = `#rollout=${n}`), entry);
      await page.waitForFunction((n) => document.querySelector<HTMLElement>('.tab-rollouts .detail-pane')?.dataset.entry === String(n), entry);
    };
    await page.goto(viewer.url);
    await page.locator('.tab-rollouts .vrow .pill:not(.none)').first().waitFor();
    await open(5);
    await open(17);
    expect(posts).toBe(0);

    // A row the pointer rests on is fetched before it is clicked.
    const sent: { entry: number; at: number }[] = [];
    page.on('websocket', (socket) =>
      socket.on('framesent', (frame) => {
        const request = (JSON.parse(String(frame.payload)) as { request: { type: string; entry?: number } }).request;
        if (request.type === 'rollout' && request.entry !== undefined) sent.push({ entry: request.entry, at: Date.now() });
      }),
    );
    await page.reload();
    // The page opens the rollout it showed last (17) and fetches its neighbours (16, 18): hover one two rows up.
    await page.locator('.tab-rollouts .detail-pane[data-entry="17"]').waitFor();
    const row = page.locator('.tab-rollouts .vlist .vrow[data-entry="15"]');
    await row.waitFor();
    await row.hover();
    await expect.poll(() => sent.some((s) => s.entry === 15), { timeout: 10_000 }).toBe(true);
    const clickedAt = Date.now();
    await row.click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.tab-rollouts .detail-pane')?.dataset.entry === '15');
    // Once, before the click (the poll above can end in the millisecond the request was seen).
    expect(sent.filter((s) => s.entry === 15).map((s) => s.at <= clickedAt)).toEqual([true]);
    expect(posts).toBe(0);

    await page.routeWebSocket(/\/api\/socket\b/, (socket) => socket.close());
    await page.goto('about:blank');
    await page.goto(`${viewer.url}#rollout=9`);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.tab-rollouts .detail-pane')?.dataset.entry === '9');
    await open(21);
    expect(posts).toBeGreaterThan(0);
    expect(await page.locator('.tab-rollouts .detail-pane .detail-title').textContent()).toContain('Task');
    expect(problems.filter((p) => !p.includes('WebSocket'))).toEqual([]);
    await page.close();
  });
});
