/**
 * Rollout viewer benchmark: a ~1 GB file of 25,000 realistic rollouts (~40 KB each), then
 *   - the index: RolloutIndex.open time and peak RSS (in a fresh process),
 *   - ng_viewer: in Chromium after the index is built, in a new tab and on a reload, when the first list rows are
 *     on screen and when the page's own live rows are (Element Timing), and ng_viewer's peak RSS,
 *   - opening a rollout: host read + parse + build (p50/p99), and request-to-painted in the browser (p50/p99) of the
 *     part on screen and of all of it, from a quiet page and back to back; over HTTP and over the webview transport
 *     (a stand-in of VS Code's postMessage).
 * Prints figures; asserts nothing. Run: node scripts/run-bench.mjs bench/viewer_index.bench.ts [--rollouts N]
 * [--file kept.jsonl] [--trace trace.json]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNgViewer } from '../src/cli/commands/ng_viewer';
import { JoinedRollouts } from '../src/core/viewer/joined_rollouts';
import { RolloutIndex, readRollout } from '../src/core/viewer/rollout_index';
import { buildRolloutView } from '../src/core/viewer/rollout_view';
import { computeSummary } from '../src/core/viewer/statistics';
import { launchBrowser } from '../test/e2e/browser/support/browser';
import { installFakeVsCodeApi } from '../test/e2e/browser/support/fake_vscode_api';
import { CATEGORIES, Random } from '../test/support/rollout_fixtures';
import { BENCH_REPEATS, writeBenchRolloutFile } from './support/rollout_file';
import { argValue, clickSummary, measureClicks, measureOpens, openStages, p50p99, percentile, POINTER_REST_MS, type ClickFigures, type OpenFigures, type ViewerWindow } from './support/viewer_measures';

const ROLLOUTS = Number(argValue('--rollouts') ?? 25_000);
const OPEN_SAMPLES = 200;
const OPEN_PICKS = 200;
const CLICK_PICKS = 100;
/** `--trace out.json`: a Chromium performance trace (chrome://tracing, Perfetto) of the browser's measured load and opens. */
const TRACE_PATH = argValue('--trace');
/** `--file path`: keep the generated file there and reuse it on later runs (for iterating on the viewer). */
const KEPT_FILE = argValue('--file');

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/** Peak resident set size of this process so far (bytes). */
function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

// ---- child process modes ----

interface IndexReport {
  indexMs: number;
  peakRssBytes: number;
  count: number;
  summaryMs: number;
  openMs: number[];
  columnBytes: number;
}

async function indexMode(path: string): Promise<void> {
  const started = performance.now();
  const index = await RolloutIndex.open(path);
  const indexMs = performance.now() - started;
  const joined = new JoinedRollouts(index);
  const summaryStarted = performance.now();
  computeSummary(joined, { file: { role: 'primary', path, name: 'bench', bytes: 0, rollouts: index.count, pendingLine: null, inputPath: null }, failures: null, aggregateMetrics: null });
  const summaryMs = performance.now() - summaryStarted;
  const rng = new Random(7);
  const openMs: number[] = [];
  for (let k = 0; k < OPEN_SAMPLES; k++) {
    const entry = rng.int(index.count);
    const t0 = performance.now();
    const line = await readRollout(index, entry);
    buildRolloutView(line, { role: 'primary', inputRecord: null, joinedTaskId: joined.taskId(entry), joinedCategory: joined.category(entry), responseError: null });
    openMs.push(performance.now() - t0);
  }
  const report: IndexReport = { indexMs, peakRssBytes: peakRss(), count: index.count, summaryMs, openMs, columnBytes: index.columnBytes };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function serveMode(path: string): Promise<void> {
  const controller = new AbortController();
  process.on('SIGTERM', () => controller.abort());
  const code = await runNgViewer([path, '--no-open', '--no-watch'], {
    cwd: process.cwd(),
    signal: controller.signal,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
  process.stdout.write(`SERVE-REPORT ${JSON.stringify({ code, peakRssBytes: peakRss() })}\n`);
}

function child(args: string[]): { done: Promise<string>; proc: ReturnType<typeof spawn>; lines: (listener: (line: string, stream: 'out' | 'err') => void) => void } {
  const proc = spawn(process.execPath, [process.argv[1] as string, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners: ((line: string, stream: 'out' | 'err') => void)[] = [];
  const feed = (stream: 'out' | 'err') => {
    let pending = '';
    return (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (stream === 'out') out += `${line}\n`;
        for (const l of listeners) l(line, stream);
      }
    };
  };
  proc.stdout.on('data', feed('out'));
  proc.stderr.on('data', feed('err'));
  const done = new Promise<string>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child ${args[0]} exited with ${code}`))));
  });
  return { done, proc, lines: (listener) => listeners.push(listener) };
}

// ---- the browser part ----

interface LoadFigures {
  /** Navigation start to the first list rows on screen (the host's, written into the page, or the page's own). */
  firstRowsMs: number;
  /** Navigation start to the page's own live rows on screen (they answer clicks and keys). */
  liveRowsMs: number;
  scriptStartMs: number;
  listReadyMs: number;
  /** Navigation timing: responseEnd of the page's HTML, domContentLoaded. */
  htmlMs: number;
  domContentLoadedMs: number;
}

interface BrowserFigures {
  newTab: LoadFigures;
  reload: LoadFigures;
  /** Each open from a quiet page (the previous one painted and the page idle): the latency a person sees. */
  quiet: OpenFigures;
  /** Opens one right after another (the previous one's follow-up work still running). */
  backToBack: OpenFigures;
  /** Clicks on rows of the list after the pointer rested on them (the way a person opens a rollout), click to painted. */
  clicks: ClickFigures;
}

/**
 * The page's own timings of a load. Read only after the load has settled: Playwright's page functions inject
 * script into the page, which would compete with the load being measured.
 */
async function loadFigures(page: import('playwright-core').Page): Promise<LoadFigures> {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (let attempt = 0; attempt < 240; attempt++) {
    const figures = await page.evaluate(() => {
      const perf = (window as unknown as ViewerWindow).gymRolloutsViewer?.perf;
      if (!perf || perf.liveRowsAt === null || perf.firstRowsAt === null) return null;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { firstRowsMs: perf.firstRowsAt, liveRowsMs: perf.liveRowsAt, scriptStartMs: perf.scriptStartAt, listReadyMs: perf.listReadyAt ?? Number.NaN, htmlMs: nav.responseEnd, domContentLoadedMs: nav.domContentLoadedEventEnd };
    });
    if (figures) return figures;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the viewer did not show its rows within a minute');
}

/** Chromium's tracing over CDP: the renderer's main thread (parse, compile, script, style, layout, paint) across the navigation. */
async function startTrace(page: import('playwright-core').Page): Promise<{ stop(path: string): Promise<void> }> {
  const session = await page.context().newCDPSession(page);
  const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading', 'v8.execute', 'toplevel', 'navigation', 'disabled-by-default-v8.cpu_profiler'];
  await session.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: categories } });
  return {
    async stop(path: string) {
      const complete = new Promise<string>((resolve) => session.once('Tracing.tracingComplete', (event) => resolve(event.stream as string)));
      await session.send('Tracing.end');
      const stream = await complete;
      const chunks: string[] = [];
      for (;;) {
        const read = await session.send('IO.read', { handle: stream });
        chunks.push(read.base64Encoded ? Buffer.from(read.data, 'base64').toString('utf8') : read.data);
        if (read.eof) break;
      }
      await session.send('IO.close', { handle: stream });
      writeFileSync(path, chunks.join(''));
      console.log(`trace written: ${path}`);
    },
  };
}

async function measureInBrowser(url: string, count: number, transport: 'http' | 'webview'): Promise<BrowserFigures> {
  const browser = await launchBrowser({ colorScheme: 'dark' });
  try {
    const page = await browser.context.newPage();
    // The webview path: the page talks postMessage to a stand-in of VS Code's webview API (relaying to the host).
    if (transport === 'webview') await page.addInitScript(installFakeVsCodeApi);
    // A first load warms the browser's caches of the bundle, as a person's second visit would.
    await page.goto(`${url}#tab=rollouts`);
    await loadFigures(page);
    await page.goto('about:blank');
    const tracing = TRACE_PATH && transport === 'http' ? await startTrace(page) : null;
    // A new tab: the browser starts a renderer process for the page.
    await page.goto(`${url}#tab=rollouts`);
    const newTab = await loadFigures(page);
    // A reload: the page's renderer is already running.
    await page.reload();
    const reload = await loadFigures(page);

    const rng = new Random(99);
    const picks = Array.from({ length: OPEN_PICKS }, () => rng.int(count));
    const quiet = await measureOpens(page.mainFrame(), picks, true);
    if (tracing) await tracing.stop(TRACE_PATH as string);
    const backToBack = await measureOpens(page.mainFrame(), picks.slice(0, OPEN_PICKS / 2), false);
    const clicks = await measureClicks(page.mainFrame(), page.mouse, CLICK_PICKS, rng);
    return { newTab, reload, quiet, backToBack, clicks };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === '--index') return indexMode(process.argv[3] as string);
  if (mode === '--serve') return serveMode(process.argv[3] as string);

  const dir = mkdtempSync(join(tmpdir(), 'gym-viewer-bench-'));
  try {
    const path = KEPT_FILE ?? join(dir, 'bench_rollouts.jsonl');
    const generated = performance.now();
    const file = KEPT_FILE && existsSync(KEPT_FILE) ? { lines: ROLLOUTS } : writeBenchRolloutFile(path, ROLLOUTS);
    const size = statSync(path).size;
    console.log(`nproc: ${availableParallelism()} (${cpus()[0]?.model ?? 'unknown CPU'})`);
    console.log(`file: ${(size / 1e9).toFixed(2)} GB, ${file.lines.toLocaleString('en-US')} rollouts, ${(size / file.lines / 1024).toFixed(1)} KB per line, ${CATEGORIES.length} categories, ${BENCH_REPEATS} repeats (generated in ${((performance.now() - generated) / 1000).toFixed(1)} s)`);

    const indexed = JSON.parse((await child(['--index', path]).done).trim().split('\n').pop() as string) as IndexReport;
    console.log(`index (RolloutIndex.open, one streaming pass): ${(indexed.indexMs / 1000).toFixed(2)} s for ${indexed.count.toLocaleString('en-US')} rollouts (${(size / 1024 / 1024 / (indexed.indexMs / 1000)).toFixed(0)} MB/s), peak RSS ${mb(indexed.peakRssBytes)}, columns ${(indexed.columnBytes / 1024 / 1024).toFixed(1)} MB   [target < 10 s, < 300 MB]`);
    console.log(`summary statistics over the index: ${indexed.summaryMs.toFixed(0)} ms`);
    console.log(`open one rollout on the host (read + parse + build the view), ${OPEN_SAMPLES} random picks: p50 ${percentile(indexed.openMs, 50).toFixed(1)} ms, p99 ${percentile(indexed.openMs, 99).toFixed(1)} ms`);

    const server = child(['--serve', path]);
    let url = '';
    let indexedLine = '';
    await new Promise<void>((resolve, reject) => {
      server.lines((line) => {
        url ||= /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(line)?.[0] ?? '';
        if (line.includes('indexed')) indexedLine = line;
        if (url && indexedLine) resolve();
      });
      server.done.catch(reject);
    });
    console.log(`ng_viewer: ${indexedLine.replace(/^ng_viewer: /, '')}`);
    const p = p50p99;
    for (const transport of ['http', 'webview'] as const) {
      const browser = await measureInBrowser(url, file.lines, transport);
      const where = transport === 'http' ? 'the browser (HTTP + SSE)' : 'the webview transport (postMessage to a stand-in of VS Code\'s API, relayed to the host)';
      console.log(`${where}:`);
      for (const [label, load] of [['new tab', browser.newTab], ['reload', browser.reload]] as const) {
        console.log(`  ${label}: first list rows on screen ${load.firstRowsMs.toFixed(0)} ms   [target < 300 ms]; the page's own live rows ${load.liveRowsMs.toFixed(0)} ms`);
        console.log(`    HTML received ${load.htmlMs.toFixed(0)} ms, script started ${load.scriptStartMs.toFixed(0)} ms, DOMContentLoaded ${load.domContentLoadedMs.toFixed(0)} ms, list ready ${load.listReadyMs.toFixed(0)} ms`);
      }
      console.log(`  open a rollout by clicking its row (the pointer rests ${POINTER_REST_MS} ms on it first), click to painted, ${CLICK_PICKS} clicks after random wheel scrolls: ${p(browser.clicks.times)}   [target p99 < 30 ms]`);
      console.log(`    ${clickSummary(browser.clicks)}`);
      for (const [label, opens] of [[`from a quiet page, ${OPEN_PICKS} random picks`, browser.quiet], [`back to back, ${OPEN_PICKS / 2} random picks`, browser.backToBack]] as const) {
        console.log(`  open a rollout by its address (#rollout=N; nothing fetched or drawn ahead), request to painted, ${label}: ${p(opens.openMs)}`);
        console.log(`    host read + parse + build: ${p(opens.hostMs)}; round trip incl. host: ${p(opens.requestMs)}; DOM build and layout of the part on screen: ${p(opens.renderMs)}`);
        console.log(`    ${openStages(opens)}`);
        console.log(`    request to all of the rollout painted (the part below the fold is appended after the first frame): ${p(opens.wholeMs)}`);
        console.log(`    from changing the address (#rollout=N) to painted, incl. the browser's hashchange dispatch: ${p(opens.navigationMs)}`);
      }
    }
    server.proc.kill('SIGTERM');
    const report = (await server.done).split('\n').find((l) => l.startsWith('SERVE-REPORT '));
    const serve = report ? (JSON.parse(report.slice('SERVE-REPORT '.length)) as { peakRssBytes: number }) : null;
    if (serve) console.log(`ng_viewer peak RSS (index + serving the page and 100 rollouts): ${mb(serve.peakRssBytes)}   [target < 300 MB]`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
