import type { ChangedRow, ExplainedRow, TableDifference } from '../src/core/schema/reward_explanation';
import type { AlignedCall, ArgumentDiff, ConversationItem, DiffSegment, RolloutView } from '../src/core/viewer/model';
import { isPassingReward } from '../src/core/reward';
import { h, setChildren, type Child } from './dom';
import { fmtInt, fmtReward, fmtTokens, plural, rewardClass, shortCategory } from './format';
import type { FileRole } from '../src/core/viewer/protocol';
import type { HostConnection } from './transport';

/**
 * One rollout: the conversation as a person reads it (numbered steps, collapsed reasoning, pretty arguments and
 * tool outputs) beside the verification: expected calls aligned with the state-changing calls, argument diffs,
 * and the verifier's table diff that explains the reward.
 */

export interface DetailCallbacks {
  /** Next / previous rollout in the list order. */
  navigate?(delta: number): void;
  /** Called after each render: when the request started, the time to the built DOM, and the DOM building part. */
  rendered?(view: RolloutView, timing: { startedAt: number; totalMs: number; renderMs: number }): void;
}

const OUTPUT_PREVIEW_LINES = 24;
const TEXT_PREVIEW_CHARS = 2400;

function pre(text: string, className = 'code'): HTMLElement {
  return h('pre', { class: className }, text);
}

/** A long block shown in part, with a button for the rest. */
function expandable(text: string, className = 'code'): HTMLElement {
  const lines = text.split('\n');
  if (lines.length <= OUTPUT_PREVIEW_LINES + 4 && text.length <= TEXT_PREVIEW_CHARS * 2) return pre(text, className);
  const preview = lines.length > OUTPUT_PREVIEW_LINES + 4 ? lines.slice(0, OUTPUT_PREVIEW_LINES).join('\n') : text.slice(0, TEXT_PREVIEW_CHARS);
  const block = pre(preview, className);
  const more = lines.length > OUTPUT_PREVIEW_LINES + 4 ? `Show all ${fmtInt(lines.length)} lines` : `Show all ${fmtInt(text.length)} characters`;
  const button = h('button', { class: 'text-button', attrs: { type: 'button' } }, more);
  const wrapper = h('div', { class: 'expandable' }, block, button);
  button.addEventListener('click', () => {
    const expanded = wrapper.classList.toggle('expanded');
    block.textContent = expanded ? text : preview;
    button.textContent = expanded ? 'Show less' : more;
  });
  return wrapper;
}

function segments(list: DiffSegment[], side: 'expected' | 'predicted'): Child[] {
  return list
    .filter((s) => s.op === 'same' || (side === 'expected' ? s.op === 'removed' : s.op === 'added'))
    .map((s) => (s.op === 'same' ? s.text : h(side === 'expected' ? 'del' : 'ins', null, s.text)));
}

/** A tool name that may wrap after its underscores rather than mid-word. */
function toolName(name: string): HTMLElement {
  const parts = name.split('_');
  return h('span', { class: 'tool-name', title: name }, ...parts.flatMap((part, k) => (k === 0 ? [part] : [h('wbr'), `_${part}`])));
}

function badge(text: string, kind: string, title?: string): HTMLElement {
  return h('span', { class: `tag ${kind}`, ...(title ? { title } : {}) }, text);
}

function preview(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function roleLabel(role: string): string {
  return role.charAt(0).toUpperCase() + role.slice(1);
}

function collapsible(heading: string, description: string, open: boolean, ...content: Child[]): HTMLElement {
  const element = h('vscode-collapsible', { class: 'collapsible', attrs: { open } }, h('div', { class: 'collapsible-body' }, ...content));
  // Properties, not attributes: the element renders them as text.
  Object.assign(element, { heading, description });
  return element;
}

// ---- conversation ----

function renderItem(item: ConversationItem, outputsByStep: Map<number, Extract<ConversationItem, { kind: 'output' }>>): HTMLElement | null {
  switch (item.kind) {
    case 'message': {
      if (item.role === 'system' || item.role === 'developer') {
        const first = item.text.split('\n')[0] ?? '';
        return h('div', { class: 'msg system' }, collapsible(roleLabel(item.role), first.length > 110 ? `${first.slice(0, 109)}…` : first, false, h('div', { class: 'msg-text' }, item.text)));
      }
      return h(
        'div',
        { class: `msg ${item.role === 'user' ? 'user' : 'assistant'}` },
        h('div', { class: 'msg-head' }, h('span', { class: 'who' }, roleLabel(item.role)), item.origin === 'output' ? h('span', { class: 'turn' }, `turn ${item.turn}`) : null),
        h('div', { class: 'msg-text' }, item.text === '' ? h('span', { class: 'muted' }, '(empty)') : item.text),
      );
    }
    case 'reasoning':
      return h('div', { class: 'msg reasoning' }, collapsible('Reasoning', `turn ${item.turn} · ${preview(item.text)}`, false, h('div', { class: 'msg-text' }, item.text || '(no text: encrypted or empty)')));
    case 'call': {
      const output = outputsByStep.get(item.step);
      return h(
        'div',
        { class: `step${item.stateChanging ? ' writes' : ''}${output?.error ? ' failed' : ''}`, dataset: { step: String(item.step) } },
        h(
          'div',
          { class: 'step-head' },
          h('span', { class: 'step-no' }, String(item.step)),
          toolName(item.name),
          item.stateChanging ? badge('writes', 'write', 'State-changing: the verifier replays this call') : badge('reads', 'read'),
          h('span', { class: 'turn' }, `turn ${item.turn}`),
        ),
        h('div', { class: 'step-label' }, 'arguments'),
        item.arguments.json ? pre(item.arguments.text) : h('div', null, badge('not valid JSON', 'error'), pre(item.arguments.text)),
        output
          ? h('div', { class: `step-output${output.error ? ' error' : ''}` }, h('div', { class: 'step-label' }, output.error ? 'output · error' : 'output'), expandable(output.output.text))
          : h('div', { class: 'step-label muted' }, 'no output recorded'),
      );
    }
    case 'output':
      // Outputs are shown with their call; only orphans (no matching call id) stand alone.
      if (item.step !== null) return null;
      return h('div', { class: `step orphan${item.error ? ' failed' : ''}` }, h('div', { class: 'step-head' }, h('span', { class: 'tool-name' }, 'tool output (no matching call)')), expandable(item.output.text));
    case 'other':
      return h('div', { class: 'msg other' }, collapsible(item.itemType, 'output item', false, pre(item.json)));
  }
}

function renderConversation(view: RolloutView): HTMLElement {
  const outputsByStep = new Map<number, Extract<ConversationItem, { kind: 'output' }>>();
  for (const item of view.items) if (item.kind === 'output' && item.step !== null && !outputsByStep.has(item.step)) outputsByStep.set(item.step, item);
  const items = view.items.map((item) => renderItem(item, outputsByStep)).filter((e): e is HTMLElement => e !== null);
  return h('section', { class: 'conversation', attrs: { 'aria-label': 'Conversation' } }, h('h3', { class: 'pane-title' }, 'Conversation'), ...items);
}

// ---- verification ----

const STATUS_TEXT: Record<AlignedCall['status'], string> = { match: 'match', differs: 'arguments differ', missing: 'missing', extra: 'extra' };

function argumentValue(arg: ArgumentDiff, side: 'expected' | 'predicted'): Child[] {
  const value = arg[side];
  if (value === null) return [h('span', { class: 'muted' }, '—')];
  return arg.segments ? segments(arg.segments, side) : [value];
}

function argumentTable(args: ArgumentDiff[]): HTMLElement {
  return h(
    'table',
    { class: 'arg-table' },
    h('thead', null, h('tr', null, h('th', null, 'argument'), h('th', null, 'expected'), h('th', null, 'predicted'))),
    h(
      'tbody',
      null,
      ...args.map((arg) =>
        h(
          'tr',
          { class: `arg ${arg.status}` },
          h('td', { class: 'arg-name' }, arg.name, arg.status !== 'same' ? h('span', { class: 'arg-status' }, arg.status === 'case' ? 'case only' : arg.status === 'type' ? 'type differs' : arg.status) : null),
          h('td', { class: 'arg-value' }, ...argumentValue(arg, 'expected')),
          h('td', { class: 'arg-value' }, ...argumentValue(arg, 'predicted')),
        ),
      ),
    ),
  );
}

function alignedRow(row: AlignedCall): HTMLElement {
  const call = row.expected ?? row.predicted;
  const where = [row.expected ? `expected #${row.expected.position + 1}` : null, row.predicted ? `step ${row.predicted.position}` : null].filter(Boolean).join(' ↔ ');
  let body: Child;
  if (row.status === 'missing' && row.expected) body = pre(row.expected.arguments.text);
  else if (row.status === 'extra' && row.predicted) body = pre(row.predicted.arguments.text);
  else body = argumentTable(row.arguments);
  return h(
    'div',
    { class: `gt-row ${row.status}` },
    h('div', { class: 'gt-head' }, h('span', { class: `gt-status ${row.status}` }, STATUS_TEXT[row.status]), toolName(call?.name ?? '?'), h('span', { class: 'muted small' }, where)),
    body,
    ...row.notes.map((note) => h('div', { class: 'note' }, note)),
  );
}

function renderGroundTruth(view: RolloutView): HTMLElement {
  const gt = view.groundTruth;
  const origin = gt.origin === 'input' ? badge('from the input file', 'info', 'This line has no ground truth; it was joined from the task rows') : null;
  const content: Child[] = [h('p', { class: 'verdict' }, gt.verdict)];
  if (gt.kind === 'no-changes') content.push(h('div', { class: 'note' }, 'Ground truth given as text: ', h('code', null, gt.text ?? '')));
  content.push(...gt.rows.map(alignedRow));
  if (gt.readOnlyCalls) content.push(h('p', { class: 'muted small' }, `${plural(gt.readOnlyCalls, 'read-only call')} not compared (the verifier only replays calls; reads change nothing).`));
  return h('section', { class: 'panel-section ground-truth' }, h('h3', { class: 'pane-title' }, 'Expected vs. predicted writes ', origin), ...content);
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function rowsTable(rows: ExplainedRow[], kind: 'added' | 'removed'): HTMLElement {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  return h(
    'table',
    { class: `state-table ${kind}` },
    h('thead', null, h('tr', null, h('th', null, ''), h('th', null, 'label'), ...columns.map((c) => h('th', null, c)))),
    h(
      'tbody',
      null,
      ...rows.map((r) => h('tr', null, h('td', { class: 'sign' }, kind === 'added' ? '+' : '−'), h('td', null, String(r.label)), ...columns.map((c) => h('td', null, cell(r.values[c]))))),
    ),
  );
}

function changedTable(rows: ChangedRow[]): HTMLElement {
  return h(
    'table',
    { class: 'state-table changed' },
    h('thead', null, h('tr', null, h('th', null, 'row'), h('th', null, 'column'), h('th', null, 'expected'), h('th', null, 'predicted'))),
    h(
      'tbody',
      null,
      ...rows.flatMap((r) =>
        r.cells.map((c, k) =>
          h(
            'tr',
            null,
            h('td', null, k === 0 ? `${cell(r.key)}${r.expectedLabel !== r.predictedLabel ? ` (label ${r.expectedLabel} → ${r.predictedLabel})` : ''}` : ''),
            h('td', { class: 'arg-name' }, c.column),
            h('td', null, h('del', null, cell(c.expected))),
            h('td', null, h('ins', null, cell(c.predicted))),
          ),
        ),
      ),
    ),
  );
}

function tableDifference(table: TableDifference): HTMLElement {
  return h(
    'div',
    { class: 'state-diff' },
    h(
      'div',
      { class: 'gt-head' },
      h('span', { class: 'table-name' }, table.table.replace(/_/g, ' ')),
      table.added.length ? badge(`+${table.added.length}`, 'added', 'rows only in the predicted end state') : null,
      table.removed.length ? badge(`−${table.removed.length}`, 'removed', 'rows only in the expected end state') : null,
      table.changed.length ? badge(`~${table.changed.length}`, 'changed', 'rows whose cells differ') : null,
      table.orderOrLabelsDiffer ? badge('order / labels', 'warn', 'Same values, but row order or row labels differ (pandas DataFrame.equals compares both)') : null,
    ),
    h('p', { class: 'small' }, table.summary),
    table.added.length ? rowsTable(table.added, 'added') : null,
    table.removed.length ? rowsTable(table.removed, 'removed') : null,
    table.changed.length ? changedTable(table.changed) : null,
  );
}

function renderExplanation(view: RolloutView): HTMLElement | null {
  const explanation = view.explanation;
  const title = h('h3', { class: 'pane-title' }, 'Verifier state diff');
  if (!explanation) {
    if (view.header.reward === null || isPassingReward(view.header.reward)) return null;
    return h(
      'section',
      { class: 'panel-section explanation' },
      title,
      h('p', { class: 'muted small' }, 'This line has no reward_explanation (written by an older resources server). The call alignment above shows how the calls differ.'),
    );
  }
  if (explanation.kind === 'invalid') {
    return h('section', { class: 'panel-section explanation' }, title, h('div', { class: 'note' }, `reward_explanation has an unexpected shape (${explanation.problem}):`), expandable(explanation.json));
  }
  const e = explanation.explanation;
  const skipped = (label: string, list: typeof e.skippedPredictedCalls) =>
    list.length
      ? h('div', { class: 'skipped' }, h('div', { class: 'step-label' }, label), ...list.map((s) => h('div', { class: 'note' }, `#${s.index + 1} ${s.name}: ${s.reason}`)))
      : null;
  return h(
    'section',
    { class: 'panel-section explanation' },
    title,
    h('p', { class: 'verdict' }, e.summary),
    ...e.tables.map(tableDifference),
    e.tables.length === 0 ? h('p', { class: 'muted small' }, 'All five tables match.') : null,
    skipped('Predicted calls the verifier skipped', e.skippedPredictedCalls),
    skipped('Ground-truth calls the verifier skipped', e.skippedGroundTruthCalls),
  );
}

function renderFields(view: RolloutView): HTMLElement | null {
  if (view.fields.length === 0) return null;
  return h(
    'section',
    { class: 'panel-section fields' },
    h('h3', { class: 'pane-title' }, 'Other fields'),
    ...view.fields.map((field) => collapsible(field.name, preview(field.json), false, expandable(field.json))),
  );
}

function headerFacts(view: RolloutView): HTMLElement {
  const header = view.header;
  const facts: [string, string][] = [];
  if (header.taskId !== null) facts.push(['task', header.taskId]);
  if (header.taskIndex !== null) facts.push(['task index', String(header.taskIndex)]);
  if (header.rolloutIndex !== null) facts.push(['repeat', String(header.rolloutIndex)]);
  facts.push(['line', fmtInt(view.lineNumber)]);
  if (header.model) facts.push(['model', header.model]);
  if (header.agentName) facts.push(['agent', header.agentName]);
  if (header.usage) {
    facts.push(['tokens', `${fmtTokens(header.usage.inputTokens)} in · ${fmtTokens(header.usage.outputTokens)} out`]);
    if (header.usage.cachedTokens) facts.push(['cached', fmtTokens(header.usage.cachedTokens)]);
    if (header.usage.reasoningTokens) facts.push(['reasoning', fmtTokens(header.usage.reasoningTokens)]);
  }
  if (header.temperature !== null) facts.push(['temperature', String(header.temperature)]);
  if (header.toolCount) facts.push(['tools', String(header.toolCount)]);
  return h('div', { class: 'facts' }, ...facts.map(([k, v]) => h('span', { class: 'fact' }, h('span', { class: 'fact-key' }, k), h('span', { class: 'fact-value' }, v))));
}

export class RolloutDetail {
  readonly element: HTMLElement;
  private currentView: RolloutView | null = null;
  private generation = 0;
  private readonly body: HTMLElement;

  constructor(
    private readonly conn: HostConnection,
    private readonly callbacks: DetailCallbacks = {},
    private readonly emptyText = 'Select a rollout (j/k to move, Enter to open).',
  ) {
    this.body = h('div', { class: 'detail-body' });
    this.element = h('section', { class: 'detail-pane', attrs: { 'aria-label': 'Rollout' } }, this.body);
    this.clear();
  }

  get current(): { role: FileRole; entry: number } | null {
    return this.currentView ? { role: this.currentView.role, entry: this.currentView.entry } : null;
  }

  clear(message = this.emptyText): void {
    this.generation++;
    this.currentView = null;
    delete this.element.dataset.entry;
    setChildren(this.body, h('div', { class: 'empty' }, message));
  }

  async show(role: FileRole, entry: number): Promise<void> {
    const generation = ++this.generation;
    const started = performance.now();
    this.element.classList.add('loading');
    let view: RolloutView;
    try {
      view = await this.conn.request({ type: 'rollout', role, entry });
    } catch (error) {
      if (generation === this.generation) {
        this.element.classList.remove('loading');
        setChildren(this.body, h('div', { class: 'empty error-text' }, `Could not read rollout ${entry}: ${error instanceof Error ? error.message : String(error)}`));
      }
      return;
    }
    if (generation !== this.generation) return;
    this.currentView = view;
    const renderStarted = performance.now();
    this.render(view);
    const renderMs = performance.now() - renderStarted;
    this.element.classList.remove('loading');
    this.element.dataset.entry = String(entry);
    this.element.dataset.role = role;
    this.body.scrollTop = 0;
    this.callbacks.rendered?.(view, { startedAt: started, totalMs: performance.now() - started, renderMs });
  }

  private render(view: RolloutView): void {
    const header = view.header;
    const reward = rewardClass(header.reward);
    const nav = this.callbacks.navigate
      ? h(
          'span',
          { class: 'nav' },
          h('vscode-button', { attrs: { secondary: true, title: 'Previous rollout (k)' }, on: { click: () => this.callbacks.navigate?.(-1) } }, '↑ prev'),
          h('vscode-button', { attrs: { secondary: true, title: 'Next rollout (j)' }, on: { click: () => this.callbacks.navigate?.(1) } }, 'next ↓'),
        )
      : null;
    const title = h(
      'header',
      { class: 'detail-header' },
      h(
        'div',
        { class: 'detail-title' },
        h('span', { class: `reward-big ${view.broken ? 'fail' : reward}`, title: 'reward' }, view.broken ? 'ERR' : fmtReward(header.reward)),
        h('div', { class: 'title-text' }, h('div', { class: 'title-main' }, header.taskId !== null ? `Task ${header.taskId}` : `Line ${fmtInt(view.lineNumber)}`, header.rolloutIndex !== null ? h('span', { class: 'muted' }, ` · repeat ${header.rolloutIndex}`) : null, view.role === 'compare' ? badge('compared file', 'info') : null),
          h('div', { class: 'title-sub' }, header.category ? badge(shortCategory(header.category), 'category', header.category) : null, header.responseError ? badge(header.responseError, 'error') : null)),
        nav,
      ),
      headerFacts(view),
    );
    if (view.broken) {
      setChildren(this.body, title, h('section', { class: 'panel-section' }, h('h3', { class: 'pane-title' }, `Line ${fmtInt(view.lineNumber)} is not a readable rollout`), h('p', { class: 'error-text' }, view.broken), expandable(view.raw ?? '')));
      return;
    }
    const side = h('aside', { class: 'verification' }, renderGroundTruth(view), renderExplanation(view), renderFields(view));
    setChildren(this.body, title, h('div', { class: 'detail-columns' }, renderConversation(view), side));
  }
}
