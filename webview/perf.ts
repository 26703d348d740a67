/**
 * Timings the page records about itself (for the benchmark and for curious users in the devtools console):
 * `window.gymRolloutsViewer.perf`.
 */
import { FIRST_ROWS_TIMING } from '../src/core/viewer/boot_preview';

export interface ViewerPerf {
  /** performance.now() when the bundle started running. */
  scriptStartAt: number;
  /** When the first list rows were on screen: the host's (written into the page) or the page's own. */
  firstRowsAt: number | null;
  /** When the page's own, live list rows were on screen (the list answers clicks and keys from then on). */
  liveRowsAt: number | null;
  /** performance.now() when the first query answered (or the host's snapshot was taken instead). */
  listReadyAt: number | null;
  /** Per opened rollout: when the request started, request-to-DOM-built milliseconds, the host's and the DOM's share. */
  rollouts: { entry: number; startedAt: number; totalMs: number; hostMs: number; renderMs: number }[];
}

/** The Element Timing name of the page's own first rows. */
export const LIVE_ROWS_TIMING = 'live-rows';

const state: ViewerPerf = { scriptStartAt: performance.now(), firstRowsAt: null, liveRowsAt: null, listReadyAt: null, rollouts: [] };

const paintedTimes = new Map<string, number>();

let reportFirstRows: () => void = () => undefined;
/** Settles when the browser has reported the paint of the first rows written by the host (at once without Element Timing). */
const firstRowsReported = new Promise<void>((resolve) => (reportFirstRows = resolve));

/** Paint times of the marked rows, from the browser itself (the rows written by the host were painted before this ran). */
function observeRowPaints(): boolean {
  if (typeof PerformanceObserver !== 'function' || !PerformanceObserver.supportedEntryTypes?.includes('element')) return false;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { identifier?: string; renderTime?: number })[]) {
      const at = entry.renderTime || entry.startTime;
      if (!entry.identifier || paintedTimes.has(entry.identifier)) continue;
      paintedTimes.set(entry.identifier, at);
      if (entry.identifier === FIRST_ROWS_TIMING || entry.identifier === LIVE_ROWS_TIMING) state.firstRowsAt = Math.min(state.firstRowsAt ?? at, at);
      if (entry.identifier === FIRST_ROWS_TIMING) reportFirstRows();
      if (entry.identifier === LIVE_ROWS_TIMING) state.liveRowsAt ??= at;
    }
  });
  observer.observe({ type: 'element', buffered: true });
  return true;
}

const elementTiming = observeRowPaints();
if (!elementTiming) reportFirstRows();

export const viewerPerf = {
  state,
  firstRowsReported,
  listReady(): void {
    state.listReadyAt ??= performance.now();
  },
  /**
   * The page's own rows are on screen from the next frame: `marker` (one of them, with text) is timed by the browser;
   * without a marker (the host's rows were covering them until now) or Element Timing, the next frame is the time.
   */
  liveRowsShown(marker: HTMLElement | null): void {
    if (state.liveRowsAt !== null) return;
    if (marker && elementTiming) {
      marker.setAttribute('elementtiming', LIVE_ROWS_TIMING);
      return;
    }
    requestAnimationFrame(() => {
      state.liveRowsAt ??= performance.now();
      state.firstRowsAt ??= state.liveRowsAt;
    });
  },
  rolloutRendered(entry: number, startedAt: number, totalMs: number, hostMs: number, renderMs: number): void {
    if (state.rollouts.length > 5000) state.rollouts.shift();
    state.rollouts.push({ entry, startedAt, totalMs, hostMs, renderMs });
  },
};

(globalThis as unknown as { gymRolloutsViewer?: { perf: ViewerPerf } }).gymRolloutsViewer = { perf: state };
