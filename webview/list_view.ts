import { Virtualizer, elementScroll, observeElementOffset, observeElementRect, type VirtualizerOptions } from '@tanstack/virtual-core';
import { h, setChildren } from './dom';
import { fmtInt, plural, shortCategory } from './format';
import { LIST_COLUMNS, rowDisplay } from '../src/core/viewer/row_display';
import type { InitInfo, RolloutFilter, RolloutRow, SearchMatch, SortSpec, ViewerEvent } from '../src/core/viewer/protocol';
import { DEFAULT_FILTER, DEFAULT_SORT, MAX_ROWS_PER_REQUEST, type BootSnapshot } from '../src/core/viewer/protocol';
import { entriesFromRuns } from '../src/core/viewer/entry_runs';
import type { HostConnection } from './transport';

/**
 * The rollout list: structured filters and sorting run on the host over the index; free-text search runs on the
 * host over the file and streams matches; the list renders only the visible rows (@tanstack/virtual-core) and
 * fetches their data in pages.
 */

export interface ListState {
  filter: RolloutFilter;
  sort: SortSpec;
  search: string;
  cursorEntry: number | null;
  scrollTop: number;
}

export const DEFAULT_LIST_STATE: ListState = {
  filter: DEFAULT_FILTER,
  sort: DEFAULT_SORT,
  search: '',
  cursorEntry: null,
  scrollTop: 0,
};

export interface ListCallbacks {
  open(entry: number): void;
  changed(): void;
  /** The pointer rests on a row: the person may open it next. */
  considering?(entry: number): void;
}

/** How long the pointer rests on a row before its rollout is fetched ahead of a click (a click follows in ~100-300 ms). */
const HOVER_INTENT_MS = 60;

const ROW_HEIGHT = 48;
const SEARCH_LIMIT = 1000;
const SEARCH_DEBOUNCE_MS = 250;
const FILTER_DEBOUNCE_MS = 200;

type Option = [value: string, label: string];

/** Characters of context kept before a search match in a row (the rest of the row is the match and after). */
const SNIPPET_LEAD = 28;

/** `customer_relationship_manager_search_customers` → `search_customers` (the domain is in the category). */
function shortToolName(name: string): string {
  return name.replace(/^(company_directory|email|calendar|analytics|project_management|customer_relationship_manager)_/, '');
}

function select(options: Option[], value: string, label: string, onChange: (value: string) => void): HTMLElement {
  const element = h('vscode-single-select', { class: 'filter-select', attrs: { 'aria-label': label, title: label } }, ...options.map(([v, text]) => h('vscode-option', { attrs: { value: v } }, text)));
  element.value = value;
  element.addEventListener('change', () => onChange(element.value));
  return element;
}

/** JSON with keys in order: two filters that say the same compare equal however they were written. */
function sortedJson(value: object): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

/** "3", "3-5", ">=4", "<=2", "4+" → bounds on the turn count. */
export function parseTurns(text: string): { min: number | null; max: number | null } {
  const t = text.replace(/\s+/g, '');
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)$/.exec(t))) return { min: Number(m[1]), max: Number(m[1]) };
  if ((m = /^(\d+)[-–](\d+)$/.exec(t))) return { min: Number(m[1]), max: Number(m[2]) };
  if ((m = /^(?:>=|≥)(\d+)$/.exec(t)) || (m = /^(\d+)\+$/.exec(t))) return { min: Number(m[1]), max: null };
  if ((m = /^>(\d+)$/.exec(t))) return { min: Number(m[1]) + 1, max: null };
  if ((m = /^(?:<=|≤)(\d+)$/.exec(t))) return { min: null, max: Number(m[1]) };
  if ((m = /^<(\d+)$/.exec(t))) return { min: null, max: Math.max(0, Number(m[1]) - 1) };
  return { min: null, max: null };
}

function turnsText(filter: RolloutFilter): string {
  const { turnsMin: min, turnsMax: max } = filter;
  if (min != null && max != null) return min === max ? String(min) : `${min}-${max}`;
  if (min != null) return `>=${min}`;
  if (max != null) return `<=${max}`;
  return '';
}

export class RolloutList {
  readonly element: HTMLElement;
  private state: ListState;
  private info: InitInfo | null = null;
  private entries: number[] = [];
  private total = 0;
  private readonly rows = new Map<number, RolloutRow>();
  private readonly matches = new Map<number, SearchMatch>();
  private readonly inFlight = new Set<number>();
  private readonly rowElements = new Map<number, HTMLElement>();
  private cursor = -1;
  private openEntry: number | null = null;
  private searchId: string | null = null;
  private searchStatus = '';
  /** Rollouts were appended since the search ran. */
  private searchStale = false;
  private queryGeneration = 0;
  private readonly virtualizer: Virtualizer<HTMLDivElement, HTMLDivElement>;
  private readonly baseOptions: VirtualizerOptions<HTMLDivElement, HTMLDivElement>;
  private readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly status: HTMLElement;
  private readonly searchField: HTMLElement & { value: string };
  private readonly categorySlot: HTMLElement;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private filterTimer: ReturnType<typeof setTimeout> | null = null;
  private hoverTimer: ReturnType<typeof setTimeout> | null = null;
  /** The host's snapshot of this list, used by the first reload instead of asking (see prime). */
  private primed: { entries: number[]; total: number } | null = null;
  /** Resolves with one of the first rows drawn with data (text in it), when they are in the DOM. */
  readonly firstRows: Promise<HTMLElement>;
  private firstRowsDrawn: ((marker: HTMLElement) => void) | null = null;

  constructor(
    private readonly conn: HostConnection,
    private readonly callbacks: ListCallbacks,
    initial: ListState,
  ) {
    this.state = structuredClone(initial);
    this.firstRows = new Promise((resolve) => (this.firstRowsDrawn = resolve));
    this.searchField = h('vscode-textfield', {
      class: 'search-field',
      attrs: { placeholder: 'Search messages, arguments and tool outputs   ( / )', 'aria-label': 'Search rollouts' },
      on: { input: () => this.onSearchInput(), keydown: (event) => this.onSearchKey(event as KeyboardEvent) },
    });
    this.searchField.value = this.state.search;
    this.categorySlot = h('span', { class: 'filter-slot' });
    const filter = this.state.filter;
    const taskField = h('vscode-textfield', { class: 'filter-text', attrs: { placeholder: 'task id', 'aria-label': 'Task id', title: 'Task id or task index (exact)' } });
    taskField.value = filter.taskId ?? '';
    taskField.addEventListener('input', () => this.updateFilter({ taskId: taskField.value }, true));
    const turnsField = h('vscode-textfield', { class: 'filter-text', attrs: { placeholder: 'turns', 'aria-label': 'Turns', title: 'Turns (model calls): 3, 2-4, >=5, <3' } });
    turnsField.value = turnsText(filter);
    turnsField.addEventListener('input', () => {
      const bounds = parseTurns(turnsField.value);
      this.updateFilter({ turnsMin: bounds.min, turnsMax: bounds.max }, true);
    });
    const direction = h('vscode-button', {
      class: 'sort-direction',
      attrs: { secondary: true, title: 'Reverse the order', 'aria-label': 'Reverse the order' },
      on: {
        click: () => {
          this.state.sort = { ...this.state.sort, descending: !this.state.sort.descending };
          direction.textContent = this.state.sort.descending ? '↓' : '↑';
          void this.reload();
        },
      },
    }, this.state.sort.descending ? '↓' : '↑');
    this.status = h('div', { class: 'list-status', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.spacer = h('div', { class: 'vlist-spacer' });
    this.scroller = h('div', { class: 'vlist', attrs: { tabindex: 0, role: 'listbox', 'aria-label': 'Rollouts' } }, this.spacer);
    this.scroller.addEventListener('click', (event) => this.onClick(event));
    this.scroller.addEventListener('dblclick', (event) => this.onClick(event));
    this.scroller.addEventListener('mouseover', (event) => this.onHover(event));
    this.scroller.addEventListener('mouseleave', () => this.hoverTimer && clearTimeout(this.hoverTimer));

    this.element = h(
      'section',
      { class: 'list-pane' },
      h('div', { class: 'list-search' }, this.searchField),
      h(
        'div',
        { class: 'list-filters' },
        select([['all', 'All rewards'], ['pass', 'Passed (1)'], ['fail', 'Failed (0)'], ['partial', 'Partial'], ['unscored', 'No reward']], filter.reward ?? 'all', 'Reward', (v) =>
          this.updateFilter({ reward: v as RolloutFilter['reward'] }),
        ),
        this.categorySlot,
        select([['any', 'Errors: any'], ['errors', 'With errors'], ['clean', 'Without errors']], filter.errors ?? 'any', 'Errors', (v) =>
          this.updateFilter({ errors: v as RolloutFilter['errors'] }),
        ),
        taskField,
        turnsField,
        h(
          'span',
          { class: 'sort-group' },
          select(
            [['line', 'File order'], ['reward', 'Reward'], ['task', 'Task'], ['turns', 'Turns'], ['toolCalls', 'Tool calls'], ['tokens', 'Tokens'], ['category', 'Category']],
            this.state.sort.key,
            'Sort by',
            (v) => {
              this.state.sort = { ...this.state.sort, key: v as SortSpec['key'] };
              void this.reload();
            },
          ),
          direction,
        ),
      ),
      h('div', { class: 'list-header', attrs: { 'aria-hidden': 'true' } }, ...LIST_COLUMNS.map(([className, label]) => h('span', { class: className }, label))),
      this.scroller,
      this.status,
    );

    this.baseOptions = {
      count: 0,
      getScrollElement: () => this.scroller,
      estimateSize: () => ROW_HEIGHT,
      overscan: 12,
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
      onChange: () => this.renderRows(),
      initialOffset: this.state.scrollTop,
    };
    this.virtualizer = new Virtualizer(this.baseOptions);
  }

  /** Call once the element is in the document. */
  mount(): void {
    this.virtualizer._didMount();
    this.virtualizer._willUpdate();
  }

  snapshot(): ListState {
    return { ...structuredClone(this.state), cursorEntry: this.cursorEntry(), scrollTop: this.scroller.scrollTop };
  }

  setInfo(info: InitInfo): void {
    this.info = info;
    const categories = info.categories;
    // Live updates call this often; keep the control (and an open dropdown) unless the categories changed.
    const key = JSON.stringify([categories, this.state.filter.categories ?? []]);
    if (this.categorySlot.dataset.key === key) return;
    this.categorySlot.dataset.key = key;
    const selected = this.state.filter.categories?.[0] ?? '';
    setChildren(
      this.categorySlot,
      select([['', 'All categories'], ...categories.map((c): Option => [c, shortCategory(c)])], categories.includes(selected) ? selected : '', 'Category', (v) =>
        this.updateFilter({ categories: v ? [v] : [] }),
      ),
    );
  }

  /** Takes the rows and, when it is this list's query, the entries of the host's snapshot (BootSnapshot). */
  prime(list: BootSnapshot['list']): void {
    for (const row of list.rows) this.rows.set(row.entry, row);
    const sameQuery = sortedJson(list.filter) === sortedJson(this.state.filter) && sortedJson(list.sort) === sortedJson(this.state.sort);
    if (list.entryRuns && sameQuery && this.state.search.trim() === '') this.primed = { entries: entriesFromRuns(list.entryRuns), total: list.total };
  }

  /** Sets filters from outside (e.g. a click on a category in the summary). */
  applyFilter(patch: Partial<RolloutFilter>): void {
    this.state.filter = { ...this.state.filter, ...patch };
    if (this.info) this.setInfo(this.info);
    void this.reload();
  }

  focusSearch(): void {
    this.searchField.focus();
  }

  focusList(): void {
    this.scroller.focus({ preventScroll: true });
  }

  /** Notes the open rollout without moving the list (setOpenEntry scrolls to it). */
  markOpen(entry: number | null): void {
    this.openEntry = entry;
  }

  setOpenEntry(entry: number | null): void {
    this.openEntry = entry;
    const position = entry === null ? -1 : this.entries.indexOf(entry);
    if (position >= 0) {
      this.cursor = position;
      this.scrollToPosition(position, 'auto');
    }
    this.renderRows();
  }

  /**
   * Rows are all ROW_HEIGHT high, so the offset is known: set it directly. (The virtualizer's scrollToIndex checks
   * its target again in animation frames, each forcing a layout, into the frames of whatever is opened next.)
   */
  private scrollToPosition(position: number, align: 'auto' | 'end'): void {
    const top = position * ROW_HEIGHT;
    const height = this.scroller.clientHeight;
    const current = this.scroller.scrollTop;
    if (align === 'end' || top + ROW_HEIGHT > current + height) this.scroller.scrollTop = Math.max(0, top + ROW_HEIGHT - height);
    else if (top < current) this.scroller.scrollTop = top;
  }

  cursorEntry(): number | null {
    return this.entries[this.cursor] ?? null;
  }

  moveCursor(delta: number | 'start' | 'end'): void {
    if (this.entries.length === 0) return;
    const next = delta === 'start' ? 0 : delta === 'end' ? this.entries.length - 1 : Math.min(this.entries.length - 1, Math.max(0, this.cursor + delta));
    this.cursor = next;
    this.scrollToPosition(next, 'auto');
    this.renderRows();
    this.callbacks.changed();
  }

  pageSize(): number {
    return Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
  }

  openCursor(): void {
    const entry = this.cursorEntry();
    if (entry !== null) this.callbacks.open(entry);
  }

  /** Entry after/before the open one in the list order (for next/previous in the detail pane). */
  neighbour(entry: number, delta: number): number | null {
    const position = this.entries.indexOf(entry);
    if (position < 0) return null;
    return this.entries[position + delta] ?? null;
  }

  /** Runs the query (or the search) again, keeping the cursor; used after live appends. */
  async reload(options: { keepScroll?: boolean; followTail?: boolean; appended?: boolean } = {}): Promise<void> {
    this.callbacks.changed();
    if (this.state.search.trim() !== '') {
      // A search reads the file; do not restart it for every line a running collection appends.
      if (options.appended) {
        this.searchStale = true;
        this.updateStatus();
        return;
      }
      this.startSearch();
      return;
    }
    const generation = ++this.queryGeneration;
    const keepEntry = this.cursorEntry() ?? this.state.cursorEntry;
    const wasAtEnd = this.isScrolledToEnd();
    const primed = this.primed;
    this.primed = null;
    const result = primed ?? (await this.conn.request({ type: 'query', filter: this.state.filter, sort: this.state.sort }));
    if (generation !== this.queryGeneration) return;
    this.total = result.total;
    this.setEntries(result.entries, keepEntry);
    if (options.followTail && wasAtEnd && this.entries.length) this.scrollToPosition(this.entries.length - 1, 'end');
    else if (!options.keepScroll && !this.state.scrollTop) this.scroller.scrollTop = 0;
    this.state.scrollTop = 0;
    this.updateStatus();
  }

  /** Live append: new rows exist; rows already shown keep their data. */
  invalidate(reset: boolean): void {
    if (reset) this.rows.clear();
  }

  handleEvent(event: ViewerEvent): void {
    if (event.type === 'searchMatches' && event.searchId === this.searchId) {
      for (const match of event.matches) {
        if (this.matches.has(match.entry)) continue;
        this.matches.set(match.entry, match);
        this.entries.push(match.entry);
      }
      this.searchStatus = `Searching… ${fmtInt(event.scanned)} of ${fmtInt(event.candidates)} rollouts read`;
      this.updateCount();
    } else if (event.type === 'searchDone' && event.searchId === this.searchId) {
      this.searchId = null;
      const limit = event.limitReached ? ` (stopped at ${fmtInt(SEARCH_LIMIT)})` : '';
      const cancelled = event.cancelled ? ' — cancelled' : '';
      this.searchStatus = `${plural(event.matched, 'match', 'matches')} in ${plural(event.scanned, 'rollout')} read${limit}${cancelled}`;
      if (!event.cancelled && this.state.sort.key !== 'line' && this.entries.length) void this.sortMatches();
      this.updateCount();
    }
  }

  private async sortMatches(): Promise<void> {
    const generation = this.queryGeneration;
    const result = await this.conn.request({ type: 'query', filter: this.state.filter, sort: this.state.sort, within: this.entries });
    if (generation === this.queryGeneration) this.setEntries(result.entries, this.cursorEntry());
  }

  private setEntries(entries: number[], keepEntry: number | null): void {
    this.entries = entries;
    const position = keepEntry === null ? -1 : entries.indexOf(keepEntry);
    this.cursor = position >= 0 ? position : entries.length ? 0 : -1;
    this.prefetchVisibleRows();
    this.updateCount();
  }

  /**
   * Asks for the rows about to be shown before the list is laid out: on the first load the virtualizer knows
   * its range only after the first layout, and waiting for it would add a layout to the first paint.
   */
  private prefetchVisibleRows(): void {
    if (this.virtualizer.range) return;
    const first = Math.max(0, Math.floor((this.state.scrollTop || this.scroller.scrollTop) / ROW_HEIGHT) - 10);
    const wanted = this.entries.slice(first, first + 60).filter((e) => !this.rows.has(e) && !this.inFlight.has(e));
    if (wanted.length) void this.fetchRows(wanted);
  }

  private updateCount(): void {
    this.virtualizer.setOptions({ ...this.baseOptions, count: this.entries.length });
    this.virtualizer._willUpdate();
    this.renderRows(true);
    this.updateStatus();
  }

  private isScrolledToEnd(): boolean {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < ROW_HEIGHT * 2;
  }

  private updateStatus(): void {
    const shown = this.entries.length;
    const searching = this.state.search.trim() !== '';
    const parts: (string | Node)[] = [];
    if (searching) parts.push(this.searchStatus || 'Searching…', this.searchStale ? ' · new rollouts since (Enter in the search field to include them)' : '');
    else parts.push(shown === this.total ? plural(this.total, 'rollout') : `${fmtInt(shown)} of ${plural(this.total, 'rollout')}`);
    const pending = this.info?.primary.pendingLine;
    if (pending) parts.push(` · line ${fmtInt(pending)} is being written`);
    const children: (string | Node)[] = [...parts];
    if (this.searchId !== null) {
      children.push(h('vscode-button', { class: 'link-button', attrs: { secondary: true }, on: { click: () => this.cancelSearch() } }, 'Cancel'));
    }
    setChildren(this.status, ...children);
    this.status.dataset.shown = String(shown);
  }

  private updateFilter(patch: Partial<RolloutFilter>, debounce = false): void {
    this.state.filter = { ...this.state.filter, ...patch };
    if (this.filterTimer) clearTimeout(this.filterTimer);
    if (debounce) this.filterTimer = setTimeout(() => void this.reload(), FILTER_DEBOUNCE_MS);
    else void this.reload();
  }

  private onSearchInput(): void {
    this.state.search = this.searchField.value;
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.reload(), SEARCH_DEBOUNCE_MS);
  }

  private onSearchKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      if (this.searchTimer) clearTimeout(this.searchTimer);
      this.state.search = this.searchField.value;
      void this.reload();
      this.focusList();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (this.searchField.value === '') {
        this.focusList();
        return;
      }
      this.searchField.value = '';
      this.state.search = '';
      void this.reload();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      this.focusList();
    }
  }

  private cancelSearch(): void {
    if (this.searchId === null) return;
    void this.conn.request({ type: 'cancelSearch', searchId: this.searchId });
  }

  private startSearch(): void {
    if (this.searchId !== null) void this.conn.request({ type: 'cancelSearch', searchId: this.searchId });
    const searchId = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.searchId = searchId;
    this.searchStale = false;
    this.queryGeneration++;
    this.matches.clear();
    this.entries = [];
    this.cursor = -1;
    this.searchStatus = 'Searching…';
    this.updateCount();
    this.conn
      .request({ type: 'search', searchId, text: this.state.search.trim(), filter: this.state.filter, limit: SEARCH_LIMIT })
      .catch((error: unknown) => {
        if (this.searchId !== searchId) return;
        this.searchId = null;
        this.searchStatus = `Search failed: ${error instanceof Error ? error.message : String(error)}`;
        this.updateStatus();
      });
  }

  private onClick(event: Event): void {
    const target = (event.target as Element).closest<HTMLElement>('.vrow');
    if (!target?.dataset.position) return;
    this.cursor = Number(target.dataset.position);
    this.renderRows();
    this.focusList();
    this.openCursor();
  }

  private onHover(event: Event): void {
    const entry = (event.target as Element).closest<HTMLElement>('.vrow')?.dataset.entry;
    if (this.hoverTimer) clearTimeout(this.hoverTimer);
    if (entry === undefined || Number(entry) === this.openEntry) return;
    this.hoverTimer = setTimeout(() => this.callbacks.considering?.(Number(entry)), HOVER_INTENT_MS);
  }

  private renderRows(force = false): void {
    const items = this.virtualizer.getVirtualItems();
    this.spacer.style.height = `${this.virtualizer.getTotalSize()}px`;
    const visible = new Set<number>();
    const missing: number[] = [];
    for (const item of items) {
      const entry = this.entries[item.index];
      if (entry === undefined) continue;
      visible.add(item.index);
      const row = this.rows.get(entry);
      if (!row && !this.inFlight.has(entry)) missing.push(entry);
      let element = this.rowElements.get(item.index);
      if (!element) {
        element = h('div', { class: 'vrow', attrs: { role: 'option' } });
        this.rowElements.set(item.index, element);
        this.scroller.appendChild(element);
      }
      const key = `${entry}:${row ? 1 : 0}:${item.index === this.cursor ? 1 : 0}:${entry === this.openEntry ? 1 : 0}:${this.matches.has(entry) ? 1 : 0}`;
      if (force || element.dataset.key !== key) this.fillRow(element, item.index, entry, row ?? null, key);
      element.style.transform = `translateY(${item.start}px)`;
    }
    for (const [position, element] of this.rowElements) {
      if (visible.has(position)) continue;
      element.remove();
      this.rowElements.delete(position);
    }
    if (missing.length) void this.fetchRows(missing);
  }

  private async fetchRows(missing: number[]): Promise<void> {
    // Fetch the visible rows plus a page around them, so scrolling rarely waits.
    const first = this.virtualizer.range?.startIndex ?? 0;
    const around = this.entries.slice(Math.max(0, first - 40), first + 120).filter((e) => !this.rows.has(e) && !this.inFlight.has(e));
    const wanted = [...new Set([...missing, ...around])].slice(0, MAX_ROWS_PER_REQUEST);
    for (const entry of wanted) this.inFlight.add(entry);
    try {
      const result = await this.conn.request({ type: 'rows', role: 'primary', entries: wanted });
      for (const row of result.rows) this.rows.set(row.entry, row);
    } finally {
      for (const entry of wanted) this.inFlight.delete(entry);
    }
    this.renderRows();
  }

  private fillRow(element: HTMLElement, position: number, entry: number, row: RolloutRow | null, key: string): void {
    element.dataset.key = key;
    element.dataset.position = String(position);
    element.dataset.entry = String(entry);
    element.classList.toggle('cursor', position === this.cursor);
    element.classList.toggle('open', entry === this.openEntry);
    element.setAttribute('aria-selected', String(position === this.cursor));
    if (!row) {
      element.classList.remove('broken');
      setChildren(element, h('div', { class: 'vrow-line placeholder' }, h('span', { class: 'pill none' }, '…'), h('span', { class: 'c-task muted' }, `line …`)));
      return;
    }
    element.classList.toggle('broken', row.broken !== null);
    const shown = rowDisplay(row);
    const flag = shown.flag ? h('span', { class: shown.flag.className, title: shown.flag.title }, shown.flag.text) : null;
    const match = this.matches.get(entry);
    const second =
      match && !row.broken
        ? h(
            'div',
            { class: 'vrow-text snippet' },
            h('span', { class: 'where' }, match.where),
            match.name ? h('span', { class: 'where-name' }, shortToolName(match.name)) : null,
            match.before.length > SNIPPET_LEAD ? `…${match.before.slice(-SNIPPET_LEAD)}` : match.before,
            h('mark', null, match.match),
            match.after,
          )
        : h('div', { class: shown.textClass }, shown.text);
    this.firstRowsDrawn?.(second);
    this.firstRowsDrawn = null;
    setChildren(
      element,
      h(
        'div',
        { class: 'vrow-line' },
        h('span', { class: shown.pillClass }, shown.pill),
        h('span', { class: 'c-task', title: shown.taskTitle }, h('b', null, shown.task), shown.repeat),
        h('span', { class: 'c-category', title: shown.categoryTitle }, shown.category),
        h('span', { class: 'c-num' }, shown.turns),
        h('span', { class: 'c-num', title: shown.callsTitle }, shown.calls),
        h('span', { class: 'c-num' }, shown.tokens),
        h('span', { class: 'c-flags' }, flag),
      ),
      second,
    );
  }
}
