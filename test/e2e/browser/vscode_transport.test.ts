import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRolloutSet, makeTempDir, writeJsonl } from '../../support/rollout_fixtures';
import { launchBrowser, openPage, screenshot, type LaunchedBrowser } from './support/browser';
import { installFakeVsCodeApi } from './support/fake_vscode_api';
import { startNgViewer, type RunningViewer } from './support/viewer_process';
import { buildWebviewBundle } from './support/webview_bundle';

/** The same bundle over the VS Code webview transport: the page finds `acquireVsCodeApi` and talks postMessage. */
describe('the viewer over the VS Code webview transport', () => {
  let viewer: RunningViewer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    process.env.GYM_ROLLOUTS_WEBVIEW_DIR = await buildWebviewBundle();
    const dir = makeTempDir('gym-viewer-vscode-');
    const set = generateRolloutSet({ tasks: 12, repeats: 2, withIndices: true, datasetFields: true, seed: 404 });
    viewer = await startNgViewer([writeJsonl(join(dir, 'rollouts.jsonl'), set.lines)], dir);
    browser = await launchBrowser({ colorScheme: 'light' });
  });

  afterAll(async () => {
    await browser.close();
    await viewer.stop();
  });

  it('starts with the ready handshake and restores its state after being hidden and shown', async () => {
    const { page, problems } = await openPage(browser);
    await page.addInitScript(installFakeVsCodeApi);
    await page.goto(viewer.url);
    await page.locator('.tab-rollouts .vrow .pill:not(.none)').first().waitFor();
    const first = await page.evaluate(() => (window as unknown as { __sentToHost: { request: { type: string } }[] }).__sentToHost[0]?.request.type);
    expect(first).toBe('ready');
    // VS Code supplies the theme: no browser theme toggle.
    expect(await page.locator('.theme-button').count()).toBe(0);

    const select = page.locator('.list-pane vscode-single-select[aria-label="Reward"]');
    await select.click();
    await select.locator('li[role="option"]', { hasText: 'Passed (1)' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.tab-rollouts .vrow .pill.fail').length === 0 && document.querySelectorAll('.tab-rollouts .vrow .pill.pass').length > 0);
    const shown = Number(await page.locator('.list-status').getAttribute('data-shown'));
    const row = page.locator('.tab-rollouts .vrow').nth(2);
    const entry = await row.getAttribute('data-entry');
    expect(entry).not.toBeNull();
    await row.click();
    // The detail pane changes when the host answers; wait for the clicked rollout, not whatever was open.
    await page.locator(`.tab-rollouts .detail-pane[data-entry="${entry}"]`).waitFor();
    // The viewer saves its state shortly after a change: wait until the saved state has the open rollout.
    await page.waitForFunction(
      ({ key, open }) => {
        const saved = JSON.parse(sessionStorage.getItem(key) ?? 'null') as { open?: number; list?: { filter?: { reward?: string } } } | null;
        return saved?.open === open && saved.list?.filter?.reward === 'pass';
      },
      { key: 'fake-vscode-webview-state', open: Number(entry) },
    );

    await page.reload();
    await page.locator(`.tab-rollouts .detail-pane[data-entry="${entry}"]`).waitFor();
    expect(Number(await page.locator('.list-status').getAttribute('data-shown'))).toBe(shown);
    expect(await page.locator('.list-pane vscode-single-select[aria-label="Reward"]').evaluate((e) => (e as HTMLElement & { value: string }).value)).toBe('pass');
    await screenshot(page, 'vscode-transport-light');
    expect(problems).toEqual([]);
  });
});
