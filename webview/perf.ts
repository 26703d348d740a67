/**
 * Timings the page records about itself (for the benchmark and for curious users in the devtools console):
 * `window.gymRolloutsViewer.perf`.
 */
export interface ViewerPerf {
  /** performance.now() when the bundle started running. */
  scriptStartAt: number;
  /** performance.now() when the first list rows with data were on screen. */
  firstRowsAt: number | null;
  /** performance.now() when the first query answered. */
  listReadyAt: number | null;
  /** Per opened rollout: when the request started, request-to-DOM-built milliseconds, the host's and the DOM's share. */
  rollouts: { entry: number; startedAt: number; totalMs: number; hostMs: number; renderMs: number }[];
}

const state: ViewerPerf = { scriptStartAt: performance.now(), firstRowsAt: null, listReadyAt: null, rollouts: [] };

export const viewerPerf = {
  state,
  listReady(): void {
    state.listReadyAt ??= performance.now();
  },
  rowsPainted(): void {
    if (state.firstRowsAt !== null) return;
    // The rows are in the DOM; the next frame is when they are on screen.
    requestAnimationFrame(() => {
      state.firstRowsAt ??= performance.now();
    });
  },
  rolloutRendered(entry: number, startedAt: number, totalMs: number, hostMs: number, renderMs: number): void {
    if (state.rollouts.length > 5000) state.rollouts.shift();
    state.rollouts.push({ entry, startedAt, totalMs, hostMs, renderMs });
  },
};

(globalThis as unknown as { gymRolloutsViewer?: { perf: ViewerPerf } }).gymRolloutsViewer = { perf: state };
