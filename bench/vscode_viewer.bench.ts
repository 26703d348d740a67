/**
 * The rollout viewer in a real VS Code: code-server 4.139.1 with the packaged extension (REAL_EDITOR_TESTS.md),
 * driven by Chromium, on the viewer benchmark's ~1 GB file of 25,000 rollouts. What the browser benchmark
 * (viewer_index.bench.ts) measures against a stand-in of VS Code's webview API, here through VS Code's own webview
 * (its iframes, its message passing, the extension host):
 *   - the first list rows on screen: the file opened from the explorer (the host indexes it), and the viewer shown
 *     again after another editor hid it (VS Code drops a hidden webview's page; the indexed host writes the first
 *     rows into the new page),
 *   - opening a rollout by clicking its list row after the pointer rested on it, click to painted,
 *   - opening a rollout by its address (#rollout=N: nothing fetched or drawn ahead), request to painted.
 * Prints figures; asserts nothing. Installs code-server into the cache on first use (a few minutes).
 * Run: node scripts/run-bench.mjs bench/vscode_viewer.bench.ts [--rollouts N] [--file kept.jsonl]
 */
import { existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { Random } from '../test/support/rollout_fixtures';
import { ensureCodeServer, installExtension, startCodeServer, type CodeServerDirectories } from '../test/e2e/vscode/support/code_server';
import { packageVsix } from '../test/e2e/vscode/support/package_vsix';
import { openWorkbench, poll, runCommand, showGymRollouts, webviewFrames } from '../test/e2e/vscode/support/workbench';
import { USER_SETTINGS } from '../test/e2e/vscode/support/workspace';
import { writeBenchRolloutFile } from './support/rollout_file';
import { argValue, clickSummary, measureClicks, measureOpens, openStages, p50p99, percentile, POINTER_REST_MS, type ViewerWindow } from './support/viewer_measures';

const ROLLOUTS = Number(argValue('--rollouts') ?? 25_000);
const KEPT_FILE = argValue('--file');
const CLICK_PICKS = 100;
const OPEN_PICKS = 100;
const SHOW_AGAIN = 5;
const FILE_NAME = 'bench_rollouts.jsonl';

function log(message: string): void {
  process.stderr.write(`[vscode viewer bench] ${message}\n`);
}

/** The rollout file in the workspace folder without copying a gigabyte: a hard link, else a symbolic one. */
function placeFile(source: string, folder: string): void {
  const target = join(folder, FILE_NAME);
  try {
    linkSync(source, target);
  } catch {
    symlinkSync(resolve(source), target);
  }
}

/**
 * When the viewer's first list rows were on screen, as wall-clock milliseconds (the frame's time origin plus the
 * page's own Element Timing figure), and that figure itself (from the webview document's start); null until then.
 */
async function firstRowsAt(frame: Frame): Promise<{ epochMs: number; sinceDocumentMs: number; liveSinceDocumentMs: number } | null> {
  return frame
    .evaluate(() => {
      const perf = (window as unknown as ViewerWindow).gymRolloutsViewer?.perf;
      if (!perf || perf.firstRowsAt === null || perf.liveRowsAt === null) return null;
      return { epochMs: performance.timeOrigin + perf.firstRowsAt, sinceDocumentMs: perf.firstRowsAt, liveSinceDocumentMs: perf.liveRowsAt };
    })
    .catch(() => null);
}

/** The viewer's frame (VS Code's webview iframes) once its page has recorded its first rows, with those figures. */
async function shownViewer(page: Page, timeoutMs: number): Promise<{ frame: Frame; epochMs: number; sinceDocumentMs: number; liveSinceDocumentMs: number }> {
  return poll(
    'the viewer\'s first rows',
    async () => {
      for (const frame of await webviewFrames(page, '.tab-rollouts')) {
        const figures = await firstRowsAt(frame);
        if (figures) return { frame, ...figures };
      }
      return null;
    },
    (found) => found !== null,
    timeoutMs,
    200,
  ) as Promise<{ frame: Frame; epochMs: number; sinceDocumentMs: number; liveSinceDocumentMs: number }>;
}

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'gym-vscode-bench-'));
  const codeServers: { stop(): Promise<void> }[] = [];
  let closeBrowser: (() => Promise<void>) | null = null;
  try {
    const workspace = join(base, 'workspace');
    mkdirSync(workspace);
    if (KEPT_FILE && existsSync(KEPT_FILE)) placeFile(KEPT_FILE, workspace);
    else if (KEPT_FILE) {
      writeBenchRolloutFile(KEPT_FILE, ROLLOUTS);
      placeFile(KEPT_FILE, workspace);
    } else writeBenchRolloutFile(join(workspace, FILE_NAME), ROLLOUTS);
    writeFileSync(join(workspace, 'notes.txt'), 'Another editor, to hide the viewer.\n');
    const size = statSync(join(workspace, FILE_NAME)).size;
    console.log(`nproc: ${availableParallelism()} (${cpus()[0]?.model ?? 'unknown CPU'})`);
    console.log(`file: ${(size / 1e9).toFixed(2)} GB, ${ROLLOUTS.toLocaleString('en-US')} rollouts`);

    const binary = ensureCodeServer(log);
    const vsix = packageVsix(join(base, 'package'), process.cwd());
    const directories: CodeServerDirectories = { userDataDir: join(base, 'user-data'), extensionsDir: join(base, 'extensions'), configHome: join(base, 'xdg') };
    mkdirSync(join(directories.userDataDir, 'User'), { recursive: true });
    writeFileSync(join(directories.userDataDir, 'User/settings.json'), JSON.stringify({ ...USER_SETTINGS, 'workbench.colorTheme': 'Default Dark Modern' }, null, 2));
    installExtension(binary, directories, vsix.path);
    const codeServer = await startCodeServer(binary, directories, workspace, { NVIDIA_API_KEY: '', OPENAI_API_KEY: '', GYM_ROLLOUTS_CACHE: join(base, 'user-cache') });
    codeServers.push(codeServer);
    const workbench = await openWorkbench(codeServer.url, workspace, join(base, 'screenshots'));
    closeBrowser = () => workbench.close();
    const { page } = workbench;
    console.log(`code-server ${codeServer.url.replace(/:\d+$/, ':…')}, the packaged extension (${vsix.bytes.toLocaleString('en-US')} bytes), Chromium ${workbench.browser.version()}`);

    // The file opened from the explorer once the extension's contributions are in (its custom editor among them): the
    // extension host indexes it, then the page shows its first rows.
    await showGymRollouts(page);
    await runCommand(page, 'View: Show Explorer');
    const item = page.locator('.explorer-folders-view').getByRole('treeitem', { name: FILE_NAME, exact: true });
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    const openedAt = Date.now();
    await item.dblclick();
    let viewer = await shownViewer(page, 180_000);
    console.log(`opened from the explorer (the host indexes the file first): first list rows on screen ${((viewer.epochMs - openedAt) / 1000).toFixed(2)} s after the double click`);

    // Shown again after another editor hid it: VS Code makes a new page; the host, already indexed, writes the rows in.
    const again: { click: number; document: number; live: number }[] = [];
    for (let k = 0; k < SHOW_AGAIN; k++) {
      await page.locator('.explorer-folders-view').getByRole('treeitem', { name: 'notes.txt', exact: true }).dblclick();
      await poll('the viewer hidden', () => webviewFrames(page, '.tab-rollouts'), (frames) => frames.length === 0, 30_000, 100);
      await page.waitForTimeout(1000);
      const tab = page.locator('.tab', { hasText: FILE_NAME }).first();
      const clickedAt = Date.now();
      await tab.click();
      viewer = await shownViewer(page, 60_000);
      again.push({ click: viewer.epochMs - clickedAt, document: viewer.sinceDocumentMs, live: viewer.liveSinceDocumentMs });
    }
    const median = (values: number[]) => percentile(values, 50);
    console.log(
      `shown again after another editor hid it (a new page), median of ${SHOW_AGAIN}: first list rows on screen ${median(again.map((a) => a.click)).toFixed(0)} ms after the tab's click, ` +
        `${median(again.map((a) => a.document)).toFixed(0)} ms after the webview's document started   [target < 300 ms]; the page's own live rows ${median(again.map((a) => a.live)).toFixed(0)} ms after it started`,
    );

    await page.waitForTimeout(1500);
    const rng = new Random(99);
    const clicks = await measureClicks(viewer.frame, page.mouse, CLICK_PICKS, rng);
    console.log(`open a rollout by clicking its row (the pointer rests ${POINTER_REST_MS} ms on it first), click to painted, ${CLICK_PICKS} clicks after random wheel scrolls: ${p50p99(clicks.times)}   [target p99 < 30 ms]`);
    console.log(`  ${clickSummary(clicks)}`);
    const opens = await measureOpens(viewer.frame, Array.from({ length: OPEN_PICKS }, () => rng.int(ROLLOUTS)), true);
    console.log(`open a rollout by its address (#rollout=N; nothing fetched or drawn ahead), request to painted, from a quiet page, ${OPEN_PICKS} random picks: ${p50p99(opens.openMs)}`);
    console.log(`  host read + parse + build: ${p50p99(opens.hostMs)}; round trip through VS Code incl. host: ${p50p99(opens.requestMs)}; DOM build and layout of the part on screen: ${p50p99(opens.renderMs)}`);
    console.log(`  ${openStages(opens)}`);
    console.log(`  request to all of the rollout painted: ${p50p99(opens.wholeMs)}`);
  } finally {
    await closeBrowser?.().catch(() => undefined);
    for (const server of codeServers) await server.stop();
    rmSync(base, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
