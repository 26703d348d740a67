/**
 * Opening rollouts in the viewer, measured inside its page (a browser tab, or a VS Code webview's frame): by the
 * address (#rollout=N: nothing fetched or drawn ahead) and by clicking list rows as a person does.
 */
import type { Frame, Mouse } from 'playwright-core';
import type { Random } from '../../test/support/rollout_fixtures';

/** A benchmark's `--name value` argument. */
export function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** The clicks' figures in a line: all of them, then those opened from the spare pane and those drawn on the click. */
export function clickSummary(clicks: ClickFigures): string {
  const ahead = clicks.times.filter((_, k) => clicks.drawnAhead[k]);
  const cold = clicks.times.filter((_, k) => !clicks.drawnAhead[k]);
  return `${clicks.distinct} distinct rollouts; ${ahead.length} drawn ahead while the pointer rested (${ahead.length ? p50p99(ahead) : 'none'}), ${cold.length} drawn on the click (${cold.length ? p50p99(cold) : 'none'}); the list had moved under the resting pointer before ${clicks.moved}`;
}

export function p50p99(values: number[]): string {
  return `p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`;
}

/**
 * Where the slowest tenth of opens lost its time, beside all of them: the medians of the round trip, the DOM build
 * and layout of the part on screen, and the rest (the wait for the frame, then its paint). A tail from one stage
 * points at that stage; a tail in every stage points at the machine.
 */
export function openStages(opens: OpenFigures): string {
  const frame = opens.openMs.map((total, k) => total - (opens.requestMs[k] ?? 0) - (opens.renderMs[k] ?? 0));
  const order = opens.openMs.map((_, k) => k).sort((a, b) => (opens.openMs[b] ?? 0) - (opens.openMs[a] ?? 0));
  const slowest = order.slice(0, Math.max(1, Math.round(order.length / 10)));
  const medians = (picked: number[]) =>
    [opens.requestMs, opens.renderMs, frame].map((values) => percentile(picked.map((k) => values[k] ?? Number.NaN), 50).toFixed(1)).join(' / ');
  return `round trip / DOM build and layout / frame and paint, medians: the slowest ${slowest.length} opens ${medians(slowest)} ms, all ${medians(order)} ms`;
}

export interface OpenFigures {
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

/** Clicks on list rows, click to painted. */
export interface ClickFigures {
  times: number[];
  /** Per click: whether the rollout had been drawn ahead in the spare pane (the pointer's rest was long enough). */
  drawnAhead: boolean[];
  /** Clicks before which the list had moved under the resting pointer (the row under it was clicked). */
  moved: number;
  distinct: number;
}

export type ViewerWindow = { gymRolloutsViewer?: { perf: { firstRowsAt: number | null; liveRowsAt: number | null; scriptStartAt: number; listReadyAt: number | null; rollouts: { startedAt: number; hostMs: number; totalMs: number; renderMs: number }[] } } };

export async function measureOpens(page: Frame, entries: number[], quiet: boolean): Promise<OpenFigures> {
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

/** How long the pointer rests on a row before the click: a person's pointing ends, then the button goes down. */
export const POINTER_REST_MS = 150;

/**
 * Opens by clicking list rows with the mouse, as a person does: the wheel scrolls the list a random distance, the
 * pointer moves onto a row, rests, and clicks. Measured in the page from the click event's time stamp to the rollout
 * painted. `page` is the viewer's frame (a browser tab's main frame, or a VS Code webview's frame).
 */
export async function measureClicks(page: Frame, mouse: Mouse, picks: number, rng: Random): Promise<ClickFigures> {
  // The frame's place on the page: the mouse moves in the page's coordinates, the page's own code in the frame's.
  const frameBox = (await (await page.frameElement().catch(() => null))?.boundingBox()) ?? { x: 0, y: 0 };
  const at = (x: number, y: number) => [frameBox.x + x, frameBox.y + y] as const;
  const times: number[] = [];
  const drawnAhead: boolean[] = [];
  const opened = new Set<number>();
  let moved = 0;
  const list = await page.evaluate(() => {
    const rect = (document.querySelector('.tab-rollouts .vlist') as HTMLElement).getBoundingClientRect();
    return { x: rect.left + rect.width / 2, top: rect.top, height: rect.height };
  });
  // Rows opened before (the scroll ended where it was, or at an end of the list) are passed over: a click should
  // open a rollout not seen yet, unless the list keeps offering only those.
  let passedOver = 0;
  for (let pick = 0; pick < picks; ) {
    await mouse.move(...at(list.x, list.top + list.height / 2));
    await mouse.wheel(0, (rng.int(2) === 0 ? -1 : 1) * (2_000 + rng.int(20_000)));
    const y = list.top + 60 + rng.int(Math.max(1, Math.floor(list.height - 120)));
    const box = await page.evaluate(
      async ({ x, y, seen }) => {
        const idle = () => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 500 }));
        // The wheel's scroll is animated: wait until the list stands still.
        const list = document.querySelector('.tab-rollouts .vlist') as HTMLElement;
        for (let last = -1, still = 0; still < 3; ) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          still = list.scrollTop === last ? still + 1 : 0;
          last = list.scrollTop;
        }
        const shown = (document.querySelector('.tab-rollouts .detail-pane') as HTMLElement).dataset.shown;
        for (let tries = 0; tries < 100; tries++) {
          await idle();
          const row = document.elementFromPoint(x, y)?.closest<HTMLElement>('.vrow');
          // The rollout already open, or one opened before: scroll again.
          if (row?.dataset.entry !== undefined && (row.dataset.entry === shown || seen.includes(Number(row.dataset.entry)))) return null;
          if (row?.dataset.entry && !row.querySelector('.placeholder')) {
            const rect = row.getBoundingClientRect();
            return { x, y: rect.top + rect.height / 2, entry: Number(row.dataset.entry) };
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error(`no filled list row under the pointer at ${x}, ${y}`);
      },
      { x: list.x, y, seen: passedOver < 20 ? [...opened] : [] },
    );
    if (!box) {
      passedOver++;
      continue;
    }
    passedOver = 0;
    pick++;
    await mouse.move(...at(box.x, box.y - 30));
    await page.waitForTimeout(50);
    await mouse.move(...at(box.x, box.y), { steps: 3 });
    await page.waitForTimeout(POINTER_REST_MS);
    // The row under the pointer now (the list can have moved since it was aimed at): the one the click opens.
    const clicked = await page.evaluate(({ x, y }) => {
      const pane = () => document.querySelector('.tab-rollouts .detail-pane') as HTMLElement;
      const hit = document.elementFromPoint(x, y);
      const under = `${hit?.tagName ?? 'nothing'}.${hit?.className ?? ''}`;
      const entry = Number(hit?.closest<HTMLElement>('.vrow')?.dataset.entry ?? Number.NaN);
      if (!Number.isInteger(entry)) throw new Error(`no list row under the pointer at ${x}, ${y} (${under})`);
      const ahead = document.querySelector<HTMLElement>('.tab-rollouts .detail-pane-spare')?.dataset.prepared === String(entry);
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
      return { entry, ahead };
    }, box);
    if (clicked.entry !== box.entry) moved++;
    drawnAhead.push(clicked.ahead);
    await mouse.down();
    await mouse.up();
    times.push(await page.evaluate(() => (window as unknown as { clickOpen: Promise<number> }).clickOpen));
    opened.add(clicked.entry);
  }
  return { times, drawnAhead, moved, distinct: opened.size };
}
