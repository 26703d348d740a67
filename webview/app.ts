import type { RolloutView } from '../src/core/viewer/model';
import { CompareView, type CompareState } from './compare_view';
import { h, setChildren } from './dom';
import { fmtBytes, plural } from './format';
import { DEFAULT_LIST_STATE, RolloutList, type ListState } from './list_view';
import { viewerPerf } from './perf';
import type { BootSnapshot, InitInfo, ViewerEvent, ViewerTab } from '../src/core/viewer/protocol';
import { formatDeepLink, parseDeepLink, type DeepLink } from './deep_link';
import { FailuresView } from './failures_view';
import { setHostAbilities } from './host_abilities';
import { RolloutDetail } from './rollout_detail';
import { SummaryView } from './summary_view';
import type { HostConnection } from './transport';

/** The viewer: tabs (Summary, Rollouts, Compare, Failures), keyboard navigation, live updates, deep links, state that survives reloads. */

type Tab = ViewerTab;
type Theme = 'auto' | 'light' | 'dark';

interface SavedState {
  version: 1;
  /** The rollout file; VS Code's panel serializer reads it to reopen the panel after a reload. */
  file: string;
  /** The baseline compared with, for the same reason. */
  compareFile?: string;
  tab: Tab;
  list: ListState;
  open: number | null;
  compare: CompareState;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'vscode-textfield' || tag === 'vscode-textarea' || target.isContentEditable;
}

export class App {
  private info: InitInfo | null = null;
  private tab: Tab = 'summary';
  private readonly saved: SavedState | null;
  private list: RolloutList | null = null;
  private detail: RolloutDetail | null = null;
  /** Counts rollouts opened, so a slow one finishing after a newer one leaves the cursor alone. */
  private openGeneration = 0;
  private summary: SummaryView | null = null;
  private compare: CompareView | null = null;
  private failures: FailuresView | null = null;
  /** When the file last grew: LIVE shows only while a collection is appending. */
  private lastGrowthAt = Number.NEGATIVE_INFINITY;
  private liveTimer: ReturnType<typeof setTimeout> | null = null;
  private tabs: HTMLElement & { selectedIndex: number } | null = null;
  private readonly tabOrder: Tab[] = [];
  private fileChip: HTMLElement | null = null;
  private progress: HTMLElement | null = null;
  private loaded = false;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** Takes away the host's first screen (see coverUntilLive). */
  private dropPreview: () => void = () => undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly conn: HostConnection,
    /** The host's snapshot written into the page: the page starts with it instead of asking. */
    private readonly boot: BootSnapshot | null = null,
  ) {
    const saved = conn.loadState<SavedState>();
    this.saved = saved?.version === 1 ? saved : null;
  }

  async start(): Promise<void> {
    this.conn.onEvent((event) => this.onEvent(event));
    let info: InitInfo;
    if (this.boot) {
      info = this.boot.info;
      // Still said: the host learns the page listens (a webview's events wait for it), and the file may have grown.
      void this.conn.request({ type: 'ready' }).then((fresh) => this.onReadyAnswered(fresh), () => undefined);
    } else {
      try {
        info = await this.conn.request({ type: 'ready' });
      } catch (error) {
        setChildren(this.root, h('div', { class: 'empty error-text' }, `Could not reach the viewer host: ${error instanceof Error ? error.message : String(error)}`));
        return;
      }
    }
    this.info = info;
    setHostAbilities(info.abilities);
    this.build(info);
    if (this.boot) this.list?.prime(this.boot.list);
    this.coverUntilLive(this.root.querySelector<HTMLElement>('.boot-preview'));
    window.addEventListener('keydown', (event) => this.onKey(event));
    window.addEventListener('hashchange', () => void this.followHash());
    if (info.problem) this.showProblem(info.problem);
    else if (!info.indexing) await this.onIndexed(info);
  }

  private build(info: InitInfo): void {
    if (this.conn.kind === 'browser') applyTheme(loadTheme());
    this.tab = info.initialTab ?? parseDeepLink(location.hash)?.tab ?? this.saved?.tab ?? 'rollouts';
    if (this.tab === 'compare' && !info.compare) this.tab = 'rollouts';

    this.list = new RolloutList(
      this.conn,
      { open: (entry) => void this.openRollout(entry), changed: () => this.scheduleSave(), considering: (entry) => this.detail?.prepare('primary', entry) },
      this.saved?.list ?? DEFAULT_LIST_STATE,
    );
    this.detail = new RolloutDetail(this.conn, {
      navigate: (delta) => this.navigate(delta),
      rendered: (view, timing) => this.onRendered(view, timing),
      turnChosen: (view, turn) => this.setHash({ rollout: { entry: view.entry }, turn }),
    });
    this.summary = new SummaryView(this.conn, {
      showCategory: (category) => {
        this.list?.applyFilter({ categories: [category] });
        this.selectTab('rollouts');
      },
      showErrors: () => {
        this.list?.applyFilter({ errors: 'errors' });
        this.selectTab('rollouts');
      },
      showFailures: () => this.selectTab('failures'),
    });
    this.list.element.setAttribute('slot', 'start');
    this.detail.element.setAttribute('slot', 'end');
    const split = h('vscode-split-layout', { class: 'split', attrs: { split: 'vertical', 'initial-handle-position': '36%', 'min-start': '360px', 'min-end': '380px' } }, this.list.element, this.detail.element);

    const panels: [Tab, string, HTMLElement][] = [
      ['summary', 'Summary', this.summary.element],
      ['rollouts', 'Rollouts', split],
    ];
    if (info.compare) {
      this.compare = new CompareView(this.conn, this.saved?.compare);
      panels.push(['compare', 'Compare', this.compare.element]);
    }
    this.failures = new FailuresView(this.conn);
    panels.push(['failures', 'Failures', this.failures.element]);
    this.fileChip = h('span', { class: 'file-chip' });
    const themeButton = this.conn.kind === 'browser'
      ? h('vscode-button', { class: 'theme-button', attrs: { secondary: true, title: 'Theme: follow the system, light or dark' }, on: { click: () => themeButton && (themeButton.textContent = themeLabel(cycleTheme())) } }, themeLabel(loadTheme()))
      : null;
    const tabs = h(
      'vscode-tabs',
      { class: 'main-tabs', attrs: { panel: true } },
      h('div', { class: 'topbar', attrs: { slot: 'addons' } }, this.fileChip, themeButton),
      ...panels.flatMap(([id, label, content]) => [
        h('vscode-tab-header', { attrs: { slot: 'header' }, dataset: { tab: id } }, label),
        h('vscode-tab-panel', { class: `tab-panel tab-${id}`, attrs: { panel: true } }, content),
      ]),
    ) as HTMLElement & { selectedIndex: number };
    this.tabOrder.push(...panels.map(([id]) => id));
    tabs.addEventListener('vsc-tabs-select', (event) => {
      const index = (event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      const tab = this.tabOrder[index];
      if (tab && tab !== this.tab) {
        this.tab = tab;
        this.onTabShown();
        this.scheduleSave();
      }
    });
    this.tabs = tabs;
    this.progress = h('div', { class: 'index-progress', attrs: { role: 'status' } });
    // The host's first screen (if any) stays where it is, over the page, until the live rows are drawn.
    const preview = this.root.querySelector('.boot-preview');
    for (const child of [...this.root.children]) if (child !== preview) child.remove();
    this.root.prepend(h('div', { class: 'brand', attrs: { 'aria-hidden': 'true' } }, 'Gym Rollouts'), tabs, this.progress);
    tabs.selectedIndex = Math.max(0, this.tabOrder.indexOf(this.tab));
    this.list.mount();
    this.compare?.mount();
    this.updateFileChip(info);
    this.showProgress(info.indexing ? 'Indexing…' : null);
  }

  private selectTab(tab: Tab): void {
    if (!this.tabs) return;
    const index = this.tabOrder.indexOf(tab);
    if (index < 0) return;
    this.tab = tab;
    this.tabs.selectedIndex = index;
    this.onTabShown();
    this.scheduleSave();
  }

  private onTabShown(): void {
    if (this.tab !== 'rollouts') this.dropPreview();
    if (!this.loaded) return;
    if (this.tab === 'summary') void this.summary?.refresh();
    if (this.tab === 'compare') void this.compare?.refresh();
    if (this.tab === 'failures') void this.failures?.refresh();
    if (this.tab === 'rollouts') this.list?.focusList();
  }

  private updateFileChip(info: InitInfo): void {
    if (!this.fileChip) return;
    // LIVE while the file grows (an append in the last minute, or a line being written), not merely while watched.
    const growing = info.live && (info.primary.pendingLine !== null || performance.now() - this.lastGrowthAt < LIVE_WINDOW_MS);
    const live = info.primary.gone
      ? h('span', { class: 'gone', title: 'The file was deleted or moved away; the rollouts are shown as they were. They are read again if it comes back.' }, 'file gone')
      : growing
        ? h('span', { class: 'live', title: 'The file is growing: appended rollouts appear as they are written' }, 'live')
        : null;
    setChildren(
      this.fileChip,
      h('span', { class: 'file-name', title: info.primary.path }, info.primary.name),
      h('span', { class: 'muted' }, ` · ${plural(info.primary.rollouts, 'rollout')} · ${fmtBytes(info.primary.bytes)}`),
      live,
    );
    this.fileChip.dataset.rollouts = String(info.primary.rollouts);
  }

  private showProgress(text: string | null): void {
    if (!this.progress) return;
    if (text === null) {
      this.progress.hidden = true;
      return;
    }
    this.progress.hidden = false;
    setChildren(this.progress, h('div', { class: 'progress-card' }, h('vscode-progress-bar', { attrs: { indeterminate: true } }), h('div', null, text)));
  }

  private showProblem(message: string): void {
    this.showProgress(null);
    if (this.summary) setChildren(this.summary.element, h('div', { class: 'empty error-text' }, message));
    this.detail?.clear(message);
  }

  private async onIndexed(info: InitInfo): Promise<void> {
    this.info = info;
    this.updateFileChip(info);
    this.showProgress(null);
    if (this.loaded) return;
    this.loaded = true;
    this.list?.setInfo(info);
    const hashLink = parseDeepLink(location.hash);
    const link: DeepLink | null = hashLink ?? (info.initialRollout ? { rollout: info.initialRollout, turn: info.initialTurn } : null);
    // Ask for the linked rollout before the list: it is what the person came for.
    const fromHash = link?.rollout ? await this.resolve(link) : null;
    const asked = fromHash !== null || info.initialEntry !== null;
    const turn = fromHash !== null ? (link?.turn ?? null) : info.initialTurn;
    const early = asked ? (fromHash ?? info.initialEntry) : null;
    const shown = early !== null && early < info.primary.rollouts ? this.openRollout(early, info.initialTab === null, turn) : null;
    await this.list?.reload({ keepScroll: true });
    viewerPerf.listReady();
    if (this.list?.cursorEntry() === null) this.dropPreview();
    // A first visit shows the first rollout rather than an empty pane.
    const open = asked ? null : ((this.saved ? this.saved.open : this.list?.cursorEntry()) ?? null);
    if (shown) {
      this.list?.setOpenEntry(early);
      await shown;
    } else if (open !== null && open < info.primary.rollouts) {
      void this.openRollout(open, false);
    } else if (info.primary.rollouts === 0) {
      this.detail?.clear(info.live ? 'No rollouts in this file yet. They appear here as a collection appends them.' : 'This file has no rollouts.');
    }
    this.onTabShown();
  }

  /**
   * The host's first screen stays over the page until the live rows are drawn under it (no empty list flashes
   * between the two), then goes.
   */
  private coverUntilLive(preview: HTMLElement | null): void {
    const list = this.list;
    if (!list) return;
    if (!preview) {
      void list.firstRows.then((marker) => viewerPerf.liveRowsShown(marker));
      return;
    }
    preview.classList.add('covering');
    let dropped = false;
    this.dropPreview = () => {
      if (dropped) return;
      dropped = true;
      // Taken away just before the next frame: the one that shows what is under it. Hidden, and out of the page only
      // once the browser has reported when its rows were painted: Chromium drops the Element Timing entry of text
      // whose layout is gone (removed, or display: none) before the frame that painted it was presented.
      requestAnimationFrame(() => {
        preview.classList.add('leaving');
        viewerPerf.liveRowsShown(null);
        const giveUp = new Promise<void>((resolve) => setTimeout(resolve, PREVIEW_REPORT_MAX_MS));
        void Promise.race([viewerPerf.firstRowsReported, giveUp]).then(() => preview.remove());
      });
    };
    void list.firstRows.then(() => this.dropPreview());
    // Another tab first, or a list with nothing to draw: nothing to wait for. And never for long.
    if (this.tab !== 'rollouts' || this.info?.primary.rollouts === 0) this.dropPreview();
    setTimeout(() => this.dropPreview(), PREVIEW_COVER_MAX_MS);
  }

  /** The `ready` answer after starting from the host's snapshot: lines appended in between count as appended. */
  private onReadyAnswered(fresh: InitInfo): void {
    const before = this.boot?.info.primary.rollouts ?? fresh.primary.rollouts;
    if (!this.loaded || fresh.primary.rollouts === before) return;
    this.onEvent(fresh.primary.rollouts > before ? { type: 'appended', role: 'primary', added: fresh.primary.rollouts - before, info: fresh } : { type: 'reset', role: 'primary', info: fresh });
  }

  private onEvent(event: ViewerEvent): void {
    switch (event.type) {
      case 'indexProgress':
        if (!this.loaded) this.showProgress(`Indexing ${event.role === 'compare' ? 'the baseline ' : ''}${fmtBytes(event.bytes)} of ${fmtBytes(event.total)} (${Math.floor((event.bytes / Math.max(1, event.total)) * 100)}%)`);
        return;
      case 'indexed':
        void this.onIndexed(event.info);
        return;
      case 'appended':
      case 'reset':
        this.info = event.info;
        if (event.role === 'primary') this.noteGrowth();
        this.updateFileChip(event.info);
        if (!this.loaded) return;
        this.summary?.markStale();
        this.compare?.markStale();
        this.failures?.markStale();
        if (event.role === 'primary') {
          if (event.type === 'reset') this.detail?.forgetFetched();
          this.list?.setInfo(event.info);
          this.list?.invalidate(event.type === 'reset');
          void this.list?.reload({ keepScroll: true, followTail: true, appended: event.type === 'appended' }).then(() => {
            // The first rollouts of a new collection: show one rather than an empty pane.
            const first = this.list?.cursorEntry();
            if (!this.detail?.current && first !== null && first !== undefined) void this.openRollout(first, false);
          });
        }
        if (this.tab === 'summary') void this.summary?.refresh();
        if (this.tab === 'compare') void this.compare?.refresh();
        if (this.tab === 'failures') void this.failures?.refresh();
        return;
      case 'searchMatches':
      case 'searchDone':
        this.list?.handleEvent(event);
        return;
      case 'problem':
        if (!this.loaded) this.showProblem(event.message);
        return;
      case 'reveal':
        if (event.tab) this.selectTab(event.tab);
        if (this.loaded && event.entry !== null) void this.openRollout(event.entry, !event.tab, event.turn ?? null);
        else if (this.loaded && event.rollout) void this.openLink({ rollout: event.rollout, turn: event.turn ?? null }, !event.tab);
        return;
    }
  }

  private noteGrowth(): void {
    this.lastGrowthAt = performance.now();
    if (this.liveTimer) clearTimeout(this.liveTimer);
    this.liveTimer = setTimeout(() => this.info && this.updateFileChip(this.info), LIVE_WINDOW_MS + 100);
  }

  private async openRollout(entry: number, showTab = true, turn: number | null = null): Promise<void> {
    // Keys may open several rollouts before the first is painted: only the latest one moves the list's cursor.
    const generation = ++this.openGeneration;
    const shown = this.detail?.show('primary', entry, { turn });
    if (showTab && this.tab !== 'rollouts') this.selectTab('rollouts');
    // The list follows once the rollout is on screen: scrolling it to a new place (and filling its rows) would
    // otherwise compete with the rollout for the main thread.
    this.list?.markOpen(entry);
    await shown;
    if (generation !== this.openGeneration) return;
    afterPaint(() => {
      if (generation !== this.openGeneration) return;
      this.list?.setOpenEntry(entry);
      // j and k usually come next: have those rollouts at hand, and the next one drawn when the page is idle.
      const next = this.list?.neighbour(entry, 1) ?? null;
      const previous = this.list?.neighbour(entry, -1) ?? null;
      if (previous !== null) this.detail?.prefetch('primary', previous);
      if (next !== null) {
        this.detail?.prefetch('primary', next);
        requestIdleCallback(() => generation === this.openGeneration && this.detail?.prepare('primary', next), { timeout: 2000 });
      }
    });
    this.scheduleSave();
  }

  private navigate(delta: number): void {
    const current = this.detail?.current;
    if (!current || !this.list) return;
    const next = this.list.neighbour(current.entry, delta);
    if (next !== null) void this.openRollout(next);
  }

  private onRendered(view: RolloutView, timing: { startedAt: number; totalMs: number; renderMs: number; turn: number | null }): void {
    viewerPerf.rolloutRendered(view.entry, timing.startedAt, timing.totalMs, view.buildMs, timing.renderMs);
    if (view.role === 'primary') this.setHash({ rollout: { entry: view.entry }, turn: timing.turn });
  }

  /** The address follows what is shown, so it can be copied as a deep link (browser only: a webview has no address bar). */
  private setHash(link: DeepLink): void {
    if (this.conn.kind !== 'browser') return;
    const hash = formatDeepLink(link);
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  /** The entry a deep link names: an entry number, or a task and repeat looked up on the host. */
  private async resolve(link: DeepLink): Promise<number | null> {
    const rollout = link.rollout;
    if (!rollout) return null;
    if ('entry' in rollout) return rollout.entry;
    try {
      return (await this.conn.request({ type: 'locate', role: 'primary', taskIndex: rollout.taskIndex, rolloutIndex: rollout.rolloutIndex })).entry;
    } catch {
      return null;
    }
  }

  private async openLink(link: DeepLink, showTab: boolean): Promise<void> {
    const entry = await this.resolve(link);
    if (entry !== null) await this.openRollout(entry, showTab, link.turn ?? null);
  }

  private async followHash(): Promise<void> {
    const link = parseDeepLink(location.hash);
    if (!link) return;
    if (link.tab && this.tabOrder.includes(link.tab)) this.selectTab(link.tab);
    if (!link.rollout || !this.loaded) return;
    const entry = await this.resolve(link);
    if (entry === null) return;
    if (entry === this.detail?.current?.entry && link.turn === null) this.selectTab('rollouts');
    else void this.openRollout(entry, true, link.turn);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (isTyping(event.target) || (event.composedPath()[0] instanceof HTMLInputElement)) return;
    const list = this.list;
    if (!list || !this.loaded) return;
    if (event.key === '/') {
      event.preventDefault();
      this.selectTab('rollouts');
      list.focusSearch();
      return;
    }
    if (this.tab !== 'rollouts') return;
    const moves: Record<string, number | 'start' | 'end'> = {
      j: 1,
      ArrowDown: 1,
      k: -1,
      ArrowUp: -1,
      PageDown: list.pageSize(),
      PageUp: -list.pageSize(),
      Home: 'start',
      End: 'end',
      g: 'start',
      G: 'end',
    };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      // Moving opens the rollout moved to: the detail pane follows the cursor.
      list.moveCursor(move);
      list.openCursor();
      return;
    }
    if (event.key === 'Enter' || event.key === 'o') {
      event.preventDefault();
      list.openCursor();
    }
  }

  private scheduleSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      if (!this.list) return;
      const state: SavedState = {
        version: 1,
        file: this.info?.primary.path ?? '',
        ...(this.info?.compare ? { compareFile: this.info.compare.path } : {}),
        tab: this.tab,
        list: this.list.snapshot(),
        open: this.detail?.current?.role === 'primary' ? this.detail.current.entry : null,
        compare: this.compare?.snapshot() ?? { filter: 'all', sort: 'delta' },
      };
      this.conn.saveState(state);
    }, 200);
  }
}

/** Runs `work` once the next frame is painted and the page is idle (rAF runs before the paint). */
function afterPaint(work: () => void): void {
  requestAnimationFrame(() => requestIdleCallback(work, { timeout: 250 }));
}

/** The host's first screen goes after this long even if the live rows have not been drawn. */
const PREVIEW_COVER_MAX_MS = 3000;
/** The hidden first screen leaves the page after this long even if the browser never reports its rows' paint. */
const PREVIEW_REPORT_MAX_MS = 3000;

/** How long after the last append the file still counts as growing. */
const LIVE_WINDOW_MS = 60_000;

// ---- theme (browser only; VS Code supplies its own) ----

const THEME_KEY = 'gym-rollouts-viewer:theme';

function loadTheme(): Theme {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : 'auto';
  } catch {
    return 'auto';
  }
}

function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'auto') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

function cycleTheme(): Theme {
  const next: Theme = { auto: 'light', light: 'dark', dark: 'auto' }[loadTheme()] as Theme;
  try {
    localStorage.setItem(THEME_KEY, next);
  } catch {
    // not persisted: fine
  }
  applyTheme(next);
  return next;
}

function themeLabel(theme: Theme): string {
  return theme === 'auto' ? '◐ auto' : theme === 'light' ? '☀ light' : '☾ dark';
}

