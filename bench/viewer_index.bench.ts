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
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNgViewer } from '../src/cli/commands/ng_viewer';
import { JoinedRollouts } from '../src/core/viewer/joined_rollouts';
import { RolloutIndex, readRollout } from '../src/core/viewer/rollout_index';
import { buildRolloutView } from '../src/core/viewer/rollout_view';
import { computeSummary } from '../src/core/viewer/statistics';
import { launchBrowser } from '../test/e2e/browser/support/browser';
import { installFakeVsCodeApi } from '../test/e2e/browser/support/fake_vscode_api';
import { CATEGORIES, makeRollout, makeTask, Random, serialize, type Outcome } from '../test/support/rollout_fixtures';

const ROLLOUTS = Number(argValue('--rollouts') ?? 25_000);
const REPEATS = 5;
const LINE_BYTES = 40_000;
const POOL = 400;
const OPEN_SAMPLES = 200;
const OPEN_PICKS = 200;
const CLICK_PICKS = 100;
/** `--trace out.json`: a Chromium performance trace (chrome://tracing, Perfetto) of the browser's measured load and opens. */
const TRACE_PATH = argValue('--trace');
/** `--file path`: keep the generated file there and reuse it on later runs (for iterating on the viewer). */
const KEPT_FILE = argValue('--file');

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** Peak resident set size of this process so far (bytes). */
function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

// ---- the file ----

/**
 * Distinct realistic lines (all five categories, passing and failing, with reasoning and verifier explanations),
 * reused with each rollout's own task and rollout index spliced in.
 */
function linePool(): string[] {
  const rng = new Random(2024);
  const outcomes: Outcome[] = ['pass', 'pass', 'pass', 'wrong-arguments', 'missing-call', 'extra-call', 'tool-error'];
  return Array.from({ length: POOL }, (_, k) => {
    const task = makeTask(k, rng, { bodySentences: 5 });
    const record = makeRollout({ task, rng, outcome: outcomes[k % outcomes.length] as Outcome, datasetFields: true, reasoning: k % 2 === 0, agentName: 'workplace_assistant_simple_agent', targetBytes: LINE_BYTES - 200 + rng.int(400), format: 'compact' });
    return withTrajectory(serialize(record, 'compact'), k);
  });
}

/**
 * The line with an `ng_trajectory` as the collector writes it (compact: no payloads): a model call per run of output
 * items, a tool call per function call, timed one after the other; some retried, some stopped at max_steps.
 */
function withTrajectory(line: string, k: number): string {
  const row = JSON.parse(line) as { response?: { output?: { type?: string; call_id?: string; name?: string }[] } };
  const modelCalls: unknown[] = [];
  const toolCalls: unknown[] = [];
  const turns: unknown[] = [];
  const gaps: unknown[] = [{ code: 'resolution_unavailable', invocation_id: 'root', detail: null }];
  let t = 1_760_000_000 + k;
  let inRun = false;
  for (const item of row.response?.output ?? []) {
    if (item.type === 'function_call_output') {
      inRun = false;
      continue;
    }
    if (!inRun) {
      inRun = true;
      const turn = turns.length + 1;
      const id = `m${k}x${turn}`;
      const ms = 400 + ((k * 31 + turn * 17) % 900);
      modelCalls.push({ model_call_id: id, started_at: t, completed_at: t + ms / 1000, duration_ms: ms, request: null, response: null, response_metadata: { response_id: `resp_${id}`, model_ref: null, model: 'gpt-oss-120b', dialect: 'responses', status_code: 200, response_status: 'completed', finish_reason: null, error_category: null, latency_ttft_ms: null }, token_stats: { prompt_tokens: 1400 * turn, completion_tokens: 80, reasoning_tokens: 30, total_tokens: 1400 * turn + 80, cached_tokens: null } });
      turns.push({ invocation_id: 'root', task_id: String(k), rollout_id: `${k}-0`, turn_no: turn, timestamp: t, question: null, answer: null, reasoning_content: null, resolved: null, step_count: toolCalls.length, model_calls: [{ model_call_id: id, model_ref: null, response_id: `resp_${id}` }] });
      if (k % 5 === 0 && turn === 1) gaps.push({ code: 'model_call_retried', invocation_id: 'root', detail: `${id}:attempts=2` });
      t += ms / 1000;
    }
    if (item.type === 'function_call') {
      toolCalls.push({ kind: 'tool_call', invocation_id: 'root', tool_call_id: item.call_id ?? '', sandbox_id: null, tool_name: item.name ?? null, started_at: t, completed_at: t + 0.012, duration_ms: 12, timing_source: 'executor', status: 'completed', error_type: null, output: null });
      t += 0.012;
    }
  }
  if (k % 7 === 3) gaps.push({ code: 'max_steps_reached', invocation_id: 'root', detail: 'max_steps=6' });
  const trajectory = { schema_version: '1.0', task_id: String(k), rollout_id: `${k}-0`, invocations: [{ kind: 'agent_invocation', invocation_id: 'root', status: 'completed', duration_ms: (t - 1_760_000_000 - k) * 1000 }], turns, model_calls: modelCalls, tool_calls: toolCalls, gaps };
  return `${line.slice(0, -1)},"ng_trajectory":${JSON.stringify(trajectory)}}`;
}

function writeRolloutFile(path: string): { bytes: number; lines: number } {
  const pool = linePool();
  const fd = openSync(path, 'w');
  let bytes = 0;
  let batch: string[] = [];
  const flush = () => {
    const text = batch.join('');
    bytes += Buffer.byteLength(text);
    writeSync(fd, text);
    batch = [];
  };
  for (let i = 0; i < ROLLOUTS; i++) {
    const line = pool[(i * 7919) % POOL] as string;
    const task = Math.floor(i / REPEATS);
    batch.push(`${line.slice(0, -1)},"_ng_task_index":${task},"_ng_rollout_index":${i % REPEATS}}\n`);
    if (batch.length === 500) flush();
  }
  flush();
  closeSync(fd);
  return { bytes, lines: ROLLOUTS };
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

interface OpenFigures {
  /** Request sent to the part on screen painted. */
  openMs: number[];
  /** Request sent to all of the rollout in the page and painted (the part below the fold follows the first frame). */
  wholeMs: number[];
  /** Address (#rollout=N) changed to content painted: adds the browser's hashchange dispatch. */
  navigationMs: number[];
  hostMs: number[];
  renderMs: number[];
  requestMs: number[];
}

interface BrowserFigures {
  newTab: LoadFigures;
  reload: LoadFigures;
  /** Each open from a quiet page (the previous one painted and the page idle): the latency a person sees. */
  quiet: OpenFigures;
  /** Opens one right after another (the previous one's follow-up work still running). */
  backToBack: OpenFigures;
  /** Clicks on rows of the list after the pointer rested on them (the way a person opens a rollout), click to painted. */
  clicks: { times: number[]; moved: number; distinct: number };
}

type ViewerWindow = { gymRolloutsViewer?: { perf: { firstRowsAt: number | null; liveRowsAt: number | null; scriptStartAt: number; listReadyAt: number | null; rollouts: { startedAt: number; hostMs: number; totalMs: number; renderMs: number }[] } } };

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

async function measureOpens(page: import('playwright-core').Page, entries: number[], quiet: boolean): Promise<OpenFigures> {
  const times = await page.evaluate(
    async ([picks, waitForQuiet]) => {
      const pane = document.querySelector('.tab-rollouts .detail-pane') as HTMLElement;
      // Resolves right after the next frame is painted (rAF runs before paint; a task queued from it runs after).
      const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const idle = () => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 500 }));
      // data-shown: the part on screen is drawn; data-entry: all of the rollout is in the page.
      const marked = (attribute: 'shown' | 'entry', entry: number) =>
        new Promise<void>((resolve) => {
          if (pane.dataset[attribute] === String(entry)) return resolve();
          const observer = new MutationObserver(() => {
            if (pane.dataset[attribute] !== String(entry)) return;
            observer.disconnect();
            resolve();
          });
          observer.observe(pane, { attributes: true, attributeFilter: [`data-${attribute}`] });
        });
      const perf = (window as unknown as Required<ViewerWindow>).gymRolloutsViewer.perf;
      const out: { endToEnd: number; app: number; whole: number }[] = [];
      for (const entry of picks) {
        if (waitForQuiet) {
          // The previous open's follow-up (the list moving to it, its neighbours fetched) is done.
          await idle();
          await new Promise((resolve) => setTimeout(resolve, 150));
          await idle();
        }
        const t0 = performance.now();
        location.hash = `#rollout=${entry}`;
        await marked('shown', entry);
        await painted();
        const t1 = performance.now();
        const started = perf.rollouts.at(-1)?.startedAt ?? t0;
        await marked('entry', entry);
        await painted();
        out.push({ endToEnd: t1 - t0, app: t1 - started, whole: performance.now() - started });
      }
      return out;
    },
    [entries, quiet] as const,
  );
  const perf = await page.evaluate((n) => (window as unknown as Required<ViewerWindow>).gymRolloutsViewer.perf.rollouts.slice(-n), entries.length);
  return {
    openMs: times.map((t) => t.app),
    wholeMs: times.map((t) => t.whole),
    navigationMs: times.map((t) => t.endToEnd),
    hostMs: perf.map((r) => r.hostMs),
    renderMs: perf.map((r) => r.renderMs),
    requestMs: perf.map((r) => r.totalMs - r.renderMs),
  };
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

/** How long the pointer rests on a row before the click: a person's pointing ends, then the button goes down. */
const POINTER_REST_MS = 150;

/**
 * Opens by clicking list rows with the mouse, as a person does: the wheel scrolls the list a random distance, the
 * pointer moves onto a row, rests, and clicks. Measured in the page from the click event's time stamp to the rollout
 * painted.
 */
async function measureClicks(page: import('playwright-core').Page, picks: number, rng: Random): Promise<{ times: number[]; moved: number; distinct: number }> {
  const times: number[] = [];
  const opened = new Set<number>();
  let moved = 0;
  const list = await page.evaluate(() => {
    const rect = (document.querySelector('.tab-rollouts .vlist') as HTMLElement).getBoundingClientRect();
    return { x: rect.left + rect.width / 2, top: rect.top, height: rect.height };
  });
  for (let pick = 0; pick < picks; pick++) {
    await page.mouse.move(list.x, list.top + list.height / 2);
    await page.mouse.wheel(0, (rng.int(2) === 0 ? -1 : 1) * (2_000 + rng.int(20_000)));
    const y = list.top + 60 + rng.int(Math.max(1, Math.floor(list.height - 120)));
    const box = await page.evaluate(
      async ({ x, y }) => {
        const idle = () => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 500 }));
        // The wheel's scroll is animated: wait until the list stands still.
        const list = document.querySelector('.tab-rollouts .vlist') as HTMLElement;
        for (let last = -1, still = 0; still < 3; ) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          still = list.scrollTop === last ? still + 1 : 0;
          last = list.scrollTop;
        }
        for (let tries = 0; tries < 100; tries++) {
          await idle();
          const row = document.elementFromPoint(x, y)?.closest<HTMLElement>('.vrow');
          if (row?.dataset.entry && !row.querySelector('.placeholder')) {
            const rect = row.getBoundingClientRect();
            return { x, y: rect.top + rect.height / 2, entry: Number(row.dataset.entry) };
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error(`no filled list row under the pointer at ${x}, ${y}`);
      },
      { x: list.x, y },
    );
    await page.mouse.move(box.x, box.y - 30);
    await page.waitForTimeout(50);
    await page.mouse.move(box.x, box.y, { steps: 3 });
    await page.waitForTimeout(POINTER_REST_MS);
    // The row under the pointer now (the list can have moved since it was aimed at): the one the click opens.
    const clicked = await page.evaluate(({ x, y }) => {
      const pane = () => document.querySelector('.tab-rollouts .detail-pane') as HTMLElement;
      const hit = document.elementFromPoint(x, y);
      const under = `${hit?.tagName ?? 'nothing'}.${hit?.className ?? ''}`;
      const entry = Number(hit?.closest<HTMLElement>('.vrow')?.dataset.entry ?? Number.NaN);
      if (!Number.isInteger(entry)) throw new Error(`no list row under the pointer at ${x}, ${y} (${under})`);
      const w = window as unknown as { clickOpen?: Promise<number> };
      w.clickOpen = new Promise<number>((resolve, reject) => {
        const timeout = setTimeout(() => reject(new Error(`clicked row ${entry}: no click event, or the rollout was not shown within 10 s (shown: ${pane().dataset.shown}; under the pointer: ${under})`)), 10_000);
        document.addEventListener(
          'click',
          (event) => {
            const clickedAt = event.timeStamp;
            const check = () => {
              if (pane().dataset.shown !== String(entry)) return requestAnimationFrame(check);
              requestAnimationFrame(() =>
                setTimeout(() => {
                  clearTimeout(timeout);
                  resolve(performance.now() - clickedAt);
                }, 0),
              );
            };
            queueMicrotask(check);
          },
          { capture: true, once: true },
        );
      });
      return entry;
    }, box);
    if (clicked !== box.entry) moved++;
    await page.mouse.down();
    await page.mouse.up();
    times.push(await page.evaluate(() => (window as unknown as { clickOpen: Promise<number> }).clickOpen));
    opened.add(clicked);
  }
  return { times, moved, distinct: opened.size };
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
    const quiet = await measureOpens(page, picks, true);
    if (tracing) await tracing.stop(TRACE_PATH as string);
    const backToBack = await measureOpens(page, picks.slice(0, OPEN_PICKS / 2), false);
    const clicks = await measureClicks(page, CLICK_PICKS, rng);
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
    const file = KEPT_FILE && existsSync(KEPT_FILE) ? { lines: ROLLOUTS } : writeRolloutFile(path);
    const size = statSync(path).size;
    console.log(`nproc: ${availableParallelism()} (${cpus()[0]?.model ?? 'unknown CPU'})`);
    console.log(`file: ${(size / 1e9).toFixed(2)} GB, ${file.lines.toLocaleString('en-US')} rollouts, ${(size / file.lines / 1024).toFixed(1)} KB per line, ${CATEGORIES.length} categories, ${REPEATS} repeats (generated in ${((performance.now() - generated) / 1000).toFixed(1)} s)`);

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
    const p = (values: number[]) => `p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`;
    for (const transport of ['http', 'webview'] as const) {
      const browser = await measureInBrowser(url, file.lines, transport);
      const where = transport === 'http' ? 'the browser (HTTP + SSE)' : 'the webview transport (postMessage to a stand-in of VS Code\'s API, relayed to the host)';
      console.log(`${where}:`);
      for (const [label, load] of [['new tab', browser.newTab], ['reload', browser.reload]] as const) {
        console.log(`  ${label}: first list rows on screen ${load.firstRowsMs.toFixed(0)} ms   [target < 300 ms]; the page's own live rows ${load.liveRowsMs.toFixed(0)} ms`);
        console.log(`    HTML received ${load.htmlMs.toFixed(0)} ms, script started ${load.scriptStartMs.toFixed(0)} ms, DOMContentLoaded ${load.domContentLoadedMs.toFixed(0)} ms, list ready ${load.listReadyMs.toFixed(0)} ms`);
      }
      console.log(`  open a rollout by clicking its row (the pointer rests ${POINTER_REST_MS} ms on it first), click to painted, ${CLICK_PICKS} clicks after random wheel scrolls: ${p(browser.clicks.times)}   [target p99 < 30 ms]`);
      console.log(`    ${browser.clicks.distinct} distinct rollouts; the list had moved under the resting pointer before ${browser.clicks.moved} of the clicks (the row under it was clicked)`);
      for (const [label, opens] of [[`from a quiet page, ${OPEN_PICKS} random picks`, browser.quiet], [`back to back, ${OPEN_PICKS / 2} random picks`, browser.backToBack]] as const) {
        console.log(`  open a rollout by its address (#rollout=N; nothing fetched or drawn ahead), request to painted, ${label}: ${p(opens.openMs)}`);
        console.log(`    host read + parse + build: ${p(opens.hostMs)}; round trip incl. host: ${p(opens.requestMs)}; DOM build and layout of the part on screen: ${p(opens.renderMs)}`);
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
