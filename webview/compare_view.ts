import type { CompareChange, CompareResult, CompareRow, CompareSide } from '../src/core/viewer/model';
import { onlyOneSide, passRates, significance } from './compare_figures';
import { h, setChildren } from './dom';
import { fmtDelta, fmtInt, fmtMean, fmtPercent, fmtReward, plural, rewardClass, shortCategory } from './format';
import type { FileRole } from '../src/core/viewer/protocol';
import { RolloutDetail } from './rollout_detail';
import type { HostConnection } from './transport';
import { VirtualRows } from './virtual_rows';

/** Two rollout files of the same tasks, task by task: what regressed, what got fixed. */

type CompareFilter = 'all' | CompareChange;
type CompareSort = 'task' | 'delta' | 'delta-desc';

const FILTERS: [CompareFilter, string][] = [
  ['all', 'All'],
  ['regression', 'Regressions'],
  ['fix', 'Fixes'],
  ['same', 'Unchanged'],
  ['only-primary', 'Only in this file'],
  ['only-compare', 'Only in baseline'],
];

const ROW_HEIGHT = 46;

export interface CompareState {
  filter: CompareFilter;
  sort: CompareSort;
}

export class CompareView {
  readonly element: HTMLElement;
  private result: CompareResult | null = null;
  private rows: CompareRow[] = [];
  private selected: string | null = null;
  private stale = true;
  private readonly header: HTMLElement;
  private readonly columns: HTMLElement;
  private readonly chips: HTMLElement;
  private readonly list: VirtualRows;
  private readonly detail: RolloutDetail;

  constructor(
    private readonly conn: HostConnection,
    private state: CompareState = { filter: 'all', sort: 'delta' },
  ) {
    this.header = h('div', { class: 'compare-header' });
    this.chips = h('div', { class: 'compare-filters' });
    this.columns = h('div', { class: 'list-header compare-cols', attrs: { 'aria-hidden': 'true' } });
    this.list = new VirtualRows(ROW_HEIGHT, (index, element) => this.renderRow(index, element), 'vlist compare-list');
    this.list.scroller.addEventListener('click', (event) => this.onClick(event));
    this.detail = new RolloutDetail(conn, {}, 'Pick a rollout: the coloured squares are the repeats of each task (this file above, baseline below).');
    const sort = h('vscode-single-select', { class: 'filter-select', attrs: { 'aria-label': 'Sort tasks' } },
      h('vscode-option', { attrs: { value: 'delta' } }, 'Largest drop first'),
      h('vscode-option', { attrs: { value: 'delta-desc' } }, 'Largest gain first'),
      h('vscode-option', { attrs: { value: 'task' } }, 'Task'),
    );
    sort.value = this.state.sort;
    sort.addEventListener('change', () => {
      this.state.sort = sort.value as CompareSort;
      this.applyFilter();
    });
    const left = h(
      'section',
      { class: 'list-pane compare-pane', attrs: { slot: 'start' } },
      this.header,
      h('div', { class: 'list-filters' }, this.chips, sort),
      this.columns,
      this.list.scroller,
    );
    this.detail.element.setAttribute('slot', 'end');
    this.element = h('vscode-split-layout', { class: 'split', attrs: { split: 'vertical', 'initial-handle-position': '42%', 'min-start': '320px', 'min-end': '360px' } }, left, this.detail.element);
  }

  mount(): void {
    this.list.mount();
  }

  snapshot(): CompareState {
    return { ...this.state };
  }

  markStale(): void {
    this.stale = true;
  }

  async refresh(): Promise<void> {
    if (!this.stale) return;
    this.stale = false;
    try {
      this.result = await this.conn.request({ type: 'compare' });
    } catch (error) {
      setChildren(this.header, h('div', { class: 'error-text' }, `Could not compare: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    this.renderHeader();
    this.renderColumns();
    this.applyFilter();
  }

  private renderColumns(): void {
    const k = this.result?.k ?? null;
    this.element.classList.toggle('with-pass-at-k', k !== null);
    setChildren(
      this.columns,
      h('span', null, 'task'),
      h('span', { title: 'One square per repeat, coloured by reward: this file above, the baseline below' }, 'repeats: this file / baseline'),
      h('span', { class: 'c-num' }, 'mean'),
      h('span', { class: 'c-num' }, 'Δ'),
      k !== null ? h('span', { class: 'c-num', title: `pass@${k} of the task in each file` }, `pass@${k}`) : null,
    );
  }

  private renderHeader(): void {
    const r = this.result;
    if (!r) {
      setChildren(this.header, h('div', { class: 'empty' }, 'No file to compare with. Start ng_viewer with --compare <file>, or run Compare Rollout Files in VS Code.'));
      return;
    }
    const delta = r.primaryMean !== null && r.compareMean !== null ? r.primaryMean - r.compareMean : null;
    setChildren(
      this.header,
      h(
        'div',
        { class: 'compare-files' },
        h('div', { class: 'compare-file' }, h('span', { class: 'muted' }, 'this file'), h('b', { title: r.primaryName }, r.primaryName), h('span', { class: 'big' }, fmtMean(r.primaryMean))),
        h('div', { class: `compare-delta ${delta === null ? '' : delta < 0 ? 'fail' : delta > 0 ? 'pass' : ''}` }, fmtDelta(delta)),
        h('div', { class: 'compare-file' }, h('span', { class: 'muted' }, 'baseline'), h('b', { title: r.compareName }, r.compareName), h('span', { class: 'big' }, fmtMean(r.compareMean))),
      ),
      h('div', { class: 'muted small' }, `Mean reward over ${plural(r.commonTasks, 'task')} in both files (each task's mean over its repeats), matched by ${r.matchedBy}.`),
      passRates(r),
      significance(r),
      onlyOneSide(r),
    );
    setChildren(
      this.chips,
      ...FILTERS.filter(([key]) => key === 'all' || r.counts[key as CompareChange] > 0 || key === 'regression' || key === 'fix').map(([key, label]) => {
        const count = key === 'all' ? r.rows.length : r.counts[key as CompareChange];
        const chip = h('button', { class: `chip ${key}${this.state.filter === key ? ' active' : ''}`, attrs: { type: 'button', 'aria-pressed': this.state.filter === key }, dataset: { filter: key } }, label, h('span', { class: 'chip-count' }, fmtInt(count)));
        chip.addEventListener('click', () => {
          this.state.filter = key;
          this.renderHeader();
          this.applyFilter();
        });
        return chip;
      }),
    );
  }

  private applyFilter(): void {
    const all = this.result?.rows ?? [];
    const rows = this.state.filter === 'all' ? [...all] : all.filter((r) => r.change === this.state.filter);
    if (this.state.sort !== 'task') {
      const sign = this.state.sort === 'delta' ? 1 : -1;
      rows.sort((a, b) => {
        if (a.delta === null || b.delta === null) return (a.delta === null ? 1 : 0) - (b.delta === null ? 1 : 0);
        return (a.delta - b.delta) * sign;
      });
    }
    this.rows = rows;
    this.list.setCount(rows.length);
    this.list.scroller.dataset.count = String(rows.length);
  }

  private renderRow(index: number, element: HTMLElement): void {
    const row = this.rows[index];
    if (!row) return;
    element.className = `vrow compare-row ${row.change}${row.key === this.selected ? ' open' : ''}`;
    element.dataset.key = row.key;
    const repeats = (side: CompareSide | null, role: FileRole) =>
      h(
        'span',
        { class: 'repeats' },
        ...(side?.entries ?? []).slice(0, 16).map((entry) => h('button', { class: `sq ${role}`, attrs: { type: 'button', title: `${role === 'primary' ? 'this file' : 'baseline'}: open rollout (line entry ${entry})` }, dataset: { role, entry: String(entry) } })),
        side === null ? h('span', { class: 'muted small' }, '—') : null,
      );
    setChildren(
      element,
      h('div', { class: 'vrow-line compare-cols' },
        h('span', { class: 'c-task', title: row.title ?? '' }, h('b', null, row.taskId ?? (row.taskIndex !== null ? `#${row.taskIndex}` : row.key)), ' ', h('span', { class: 'muted' }, shortCategory(row.category))),
        h('span', { class: 'repeat-rows' }, repeats(row.primary, 'primary'), repeats(row.compare, 'compare')),
        h('span', { class: 'c-num' }, h('span', null, fmtMean(row.primary?.meanReward ?? null, 2)), h('span', { class: 'muted' }, fmtMean(row.compare?.meanReward ?? null, 2))),
        h('span', { class: `c-num delta ${row.change}` }, row.change === 'only-primary' ? 'new' : row.change === 'only-compare' ? 'gone' : fmtDelta(row.delta)),
        this.result?.k ? h('span', { class: 'c-num', title: `pass@${this.result.k}: this file above, the baseline below` }, h('span', null, fmtPercent(row.primary?.passAtK ?? null, 0)), h('span', { class: 'muted' }, fmtPercent(row.compare?.passAtK ?? null, 0))) : null,
      ),
    );
    void this.fillRewards(element, row);
  }

  /** The squares get their colour from the rows' rewards (fetched for the visible tasks only). */
  private async fillRewards(element: HTMLElement, row: CompareRow): Promise<void> {
    for (const role of ['primary', 'compare'] as const) {
      const side = role === 'primary' ? row.primary : row.compare;
      if (!side?.entries.length) continue;
      const result = await this.conn.request({ type: 'rows', role, entries: side.entries.slice(0, 16) });
      if (element.dataset.key !== row.key) return;
      for (const r of result.rows) {
        const square = element.querySelector<HTMLElement>(`.sq.${role}[data-entry="${r.entry}"]`);
        if (!square) continue;
        square.classList.add(rewardClass(r.reward));
        square.title = `${role === 'primary' ? 'this file' : 'baseline'} · repeat ${r.rolloutIndex ?? '?'} · reward ${fmtReward(r.reward)} — open`;
      }
    }
  }

  private onClick(event: Event): void {
    const target = event.target as HTMLElement;
    const square = target.closest<HTMLElement>('.sq');
    const rowElement = target.closest<HTMLElement>('.compare-row');
    if (!rowElement) return;
    this.selected = rowElement.dataset.key ?? null;
    const row = this.rows.find((r) => r.key === this.selected);
    this.list.refresh();
    if (square?.dataset.entry && square.dataset.role) {
      void this.detail.show(square.dataset.role as FileRole, Number(square.dataset.entry));
    } else if (row) {
      const first = row.primary?.entries[0] ?? row.compare?.entries[0];
      if (first !== undefined) void this.detail.show(row.primary ? 'primary' : 'compare', first);
    }
  }
}
