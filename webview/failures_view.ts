import type { FailureEntry, FailureList, TaskInput } from '../src/core/viewer/model';
import { h, setChildren } from './dom';
import { fmtInt, plural, shortCategory } from './format';
import type { HostConnection } from './transport';

/**
 * `<stem>_failures.jsonl` as a tab: counts by failure class (each a filter), every failure with its task, repeat,
 * attempts, upstream status and message, and the task's input row beside it (a failed rollout has no output
 * line, so its input is what there is to read).
 */

const PAGE = 300;

export class FailuresView {
  readonly element: HTMLElement;
  private list: FailureList | null = null;
  private stale = true;
  private filter: string | null = null;
  private shown = PAGE;
  private selected: number | null = null;
  private readonly head: HTMLElement;
  private readonly body: HTMLElement;
  private readonly input: HTMLElement;

  constructor(private readonly conn: HostConnection) {
    this.head = h('div', { class: 'failures-head' });
    this.body = h('div', { class: 'failures-body' });
    this.input = h('section', { class: 'failure-input detail-pane', attrs: { slot: 'end', 'aria-label': 'Input row' } }, h('div', { class: 'empty' }, 'Pick a failure to see the input row of its task.'));
    const left = h('section', { class: 'failures-pane', attrs: { slot: 'start' } }, this.head, this.body);
    this.element = h('vscode-split-layout', { class: 'split', attrs: { split: 'vertical', 'initial-handle-position': '58%', 'min-start': '360px', 'min-end': '300px' } }, left, this.input);
    this.body.addEventListener('click', (event) => this.onClick(event));
  }

  markStale(): void {
    this.stale = true;
  }

  async refresh(): Promise<void> {
    if (!this.stale) return;
    this.stale = false;
    try {
      this.list = await this.conn.request({ type: 'failures' });
    } catch (error) {
      setChildren(this.head, h('div', { class: 'empty error-text' }, `Could not read the failures: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    this.render();
  }

  private render(): void {
    const list = this.list;
    this.element.dataset.total = String(list?.total ?? 0);
    if (!list) {
      setChildren(this.head, h('div', { class: 'empty' }, 'No failures recorded: there is no failures file beside this rollout file.'));
      this.body.replaceChildren();
      return;
    }
    const chip = (key: string | null, label: string, count: number) => {
      const active = this.filter === key;
      return h(
        'button',
        {
          class: `chip${active ? ' active' : ''}`,
          attrs: { type: 'button', 'aria-pressed': active },
          dataset: { failureClass: key ?? '' },
          on: {
            click: () => {
              this.filter = key;
              this.shown = PAGE;
              this.render();
            },
          },
        },
        label,
        h('span', { class: 'chip-count' }, fmtInt(count)),
      );
    };
    setChildren(
      this.head,
      h('h3', { class: 'section-title' }, `${plural(list.total, 'failure')}`, h('span', { class: 'muted small file-path', title: list.path }, ` in ${list.path.split(/[\\/]/).pop() ?? list.path}`)),
      h('div', { class: 'compare-filters failure-classes' }, chip(null, 'All', list.total), ...list.byClass.map((c) => chip(c.failureClass, c.failureClass, c.count))),
      h(
        'p',
        { class: 'muted small' },
        list.byClass.some((c) => c.terminal) ? `${plural(list.byClass.reduce((sum, c) => sum + c.terminal, 0), 'failure')} terminal (not retried on resume). ` : '',
        list.unreadable ? `${plural(list.unreadable, 'line')} of the file could not be read. ` : '',
        list.truncated ? `The first ${fmtInt(list.entries.length)} are listed.` : '',
      ),
    );
    const entries = this.filter === null ? list.entries : list.entries.filter((e) => e.failureClass === this.filter);
    const rows = entries.slice(0, this.shown).map((entry) => this.row(entry));
    const more = entries.length > this.shown ? h('button', { class: 'text-button', attrs: { type: 'button' }, on: { click: () => ((this.shown += PAGE), this.render()) } }, `Show ${fmtInt(Math.min(PAGE, entries.length - this.shown))} more of ${fmtInt(entries.length)}`) : null;
    setChildren(this.body, h('div', { class: 'failure-list', attrs: { role: 'list' }, dataset: { count: String(entries.length) } }, ...rows), more);
  }

  private row(entry: FailureEntry): HTMLElement {
    const facts: string[] = [];
    if (entry.attempts !== null) facts.push(plural(entry.attempts, 'attempt'));
    if (entry.upstreamStatus !== null) facts.push(`upstream HTTP ${entry.upstreamStatus}`);
    if (entry.terminal) facts.push('terminal');
    if (entry.agent) facts.push(entry.agent);
    if (entry.input) facts.push(`input ${entry.input.file}${entry.input.line !== null ? `:${entry.input.line}` : ''}${entry.input.field ? ` (${entry.input.field})` : ''}`);
    return h(
      'div',
      { class: `failure-row${this.selected === entry.lineNumber ? ' open' : ''}`, attrs: { role: 'listitem' }, dataset: { line: String(entry.lineNumber), task: String(entry.taskIndex ?? '') } },
      h(
        'div',
        { class: 'failure-line' },
        h('span', { class: 'tag error' }, entry.failureClass),
        h('b', null, entry.taskIndex !== null ? `task ${entry.taskIndex}` : 'task ?'),
        entry.rolloutIndex !== null ? h('span', { class: 'muted' }, ` · repeat ${entry.rolloutIndex}`) : null,
        h('span', { class: 'muted small failure-facts' }, facts.join(' · ')),
        entry.taskIndex !== null ? h('button', { class: 'text-button show-input', attrs: { type: 'button' } }, 'input row') : null,
      ),
      h('div', { class: 'failure-message' }, entry.message || '(no message)'),
    );
  }

  private onClick(event: Event): void {
    const row = (event.target as Element).closest<HTMLElement>('.failure-row');
    if (!row?.dataset.line) return;
    this.selected = Number(row.dataset.line);
    for (const other of this.body.querySelectorAll('.failure-row.open')) other.classList.remove('open');
    row.classList.add('open');
    if (row.dataset.task) void this.showInput(Number(row.dataset.task));
  }

  private async showInput(taskIndex: number): Promise<void> {
    setChildren(this.input, h('div', { class: 'empty' }, `Reading the input row of task ${taskIndex}…`));
    let input: TaskInput;
    try {
      input = await this.conn.request({ type: 'taskInput', taskIndex });
    } catch (error) {
      setChildren(this.input, h('div', { class: 'empty error-text' }, `Could not read the input row: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    this.input.dataset.task = String(taskIndex);
    setChildren(
      this.input,
      h('div', { class: 'detail-body' },
        h('h3', { class: 'pane-title' }, `Input row of task ${taskIndex}`),
        input.path ? h('p', { class: 'muted small file-path' }, `${input.path}${input.lineNumber !== null ? `, line ${fmtInt(input.lineNumber)}` : ''}`) : null,
        input.problem ? h('p', { class: 'warn-text' }, input.problem) : null,
        input.prompt ? h('div', { class: 'msg user input-prompt' }, h('div', { class: 'msg-head' }, h('span', { class: 'who' }, 'User'), input.category ? h('span', { class: 'turn' }, shortCategory(input.category)) : null), h('div', { class: 'msg-text' }, input.prompt)) : null,
        input.json !== null ? h('pre', { class: 'code input-json' }, input.json) : null,
      ),
    );
  }
}
