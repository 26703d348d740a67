import type { ChangedRow, ExplainedRow, TableDifference } from '../src/core/schema/reward_explanation';
import type { AlignedCall, ArgumentDiff, CallItem, ConversationItem, DiffSegment, RolloutView } from '../src/core/viewer/model';
import { isPassingReward } from '../src/core/reward';
import { h, setChildren, type Child } from './dom';
import { fmtBytes, fmtInt, fmtReward, fmtTokens, plural, rewardClass, shortCategory } from './format';
import { hostAbilities } from './host_abilities';
import { renderMarkdown } from './markdown';
import { PREVIEW_LINES, previewOf } from '../src/core/viewer/text_preview';
import type { FileRole } from '../src/core/viewer/protocol';
import { diffCells, plainValue, sideOf } from './text_diff';
import { renderTimeline } from './timeline_view';
import type { HostConnection } from './transport';
import { placed, ProgressiveColumn, type Piece } from './progressive';
import { LEAST_SECTION_HEIGHT, leastAlignedRowHeight, leastCallHeight, leastCallOutputHeight, leastItemHeight, leastTableDifferenceHeight, TYPICAL_OVER_LEAST } from './least_height';

/**
 * One rollout: the conversation as a person reads it (numbered steps, collapsed reasoning, pretty arguments and
 * tool outputs) beside the verification: expected calls aligned with the state-changing calls, argument diffs,
 * and the verifier's table diff that explains the reward.
 */

export interface DetailCallbacks {
  /** Next / previous rollout in the list order. */
  navigate?(delta: number): void;
  /** Called after each render: when the request started, the time to the built DOM, and the DOM building part. */
  rendered?(view: RolloutView, timing: { startedAt: number; totalMs: number; renderMs: number; turn: number | null }): void;
  /** The person picked a turn (its label): the address can follow. */
  turnChosen?(view: RolloutView, turn: number): void;
}

/** What a message needs from the pane: how to open a link and the raw line, and whether to render Markdown. */
interface MessageContext {
  markdown: boolean;
  /** All of item `index`'s text, when the host sent a preview. */
  loadItemText(index: number): Promise<string | null>;
  openLink(url: string): void;
  showRawLine(): void;
}

function pre(text: string, className = 'code'): HTMLElement {
  return h('pre', { class: className }, text);
}

/**
 * A long block shown in part, with a button for the rest. The host sends long tool outputs already cut
 * (`whole` set): the rest is fetched when asked for.
 */
function expandable(text: string, className = 'code', whole: { lines: number; chars: number } | null = null, loadAll: (() => Promise<string | null>) | null = null): HTMLElement {
  let preview = text;
  let size = whole;
  if (!size) {
    const local = previewOf(text);
    if (!local.whole) return pre(text, className);
    preview = local.text;
    size = local.whole;
  }
  let full: string | null = whole ? null : text;
  const block = pre(preview, className);
  const more = size.lines > PREVIEW_LINES + 4 ? `Show all ${fmtInt(size.lines)} lines` : `Show all ${fmtInt(size.chars)} characters`;
  const button = h('button', { class: 'text-button', attrs: { type: 'button' } }, more);
  const wrapper = h('div', { class: 'expandable' }, block, button);
  button.addEventListener('click', () => {
    void (async () => {
      if (full === null && loadAll) full = await loadAll();
      const expanded = wrapper.classList.toggle('expanded');
      block.textContent = expanded ? (full ?? preview) : preview;
      button.textContent = expanded ? 'Show less' : more;
    })();
  });
  return wrapper;
}

function segments(list: DiffSegment[], side: 'expected' | 'predicted'): Child[] {
  return sideOf(list, side);
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

/**
 * A section opened on demand: a native <details> (a custom element per message would cost every rollout opened a
 * shadow root, a render pass and slot events).
 */
function collapsible(heading: string, description: string, open: boolean, ...content: Child[]): HTMLElement {
  return h(
    'details',
    { class: 'collapsible', attrs: { open } },
    h('summary', { class: 'collapsible-head' }, h('span', { class: 'collapsible-heading' }, heading), description ? h('span', { class: 'collapsible-description' }, description) : null),
    h('div', { class: 'collapsible-body' }, ...content),
  );
}

// ---- conversation ----

/** Message text: Markdown rendered as safe elements, or the text as written. */
function messageBody(text: string, context: MessageContext): HTMLElement {
  if (text === '') return h('div', { class: 'msg-text' }, h('span', { class: 'muted' }, '(empty)'));
  if (!context.markdown) return h('div', { class: 'msg-text' }, text);
  const body = h('div', { class: 'msg-text md' });
  body.append(renderMarkdown(text, { openLink: (url) => context.openLink(url) }));
  return body;
}

function rawLineButton(context: MessageContext): HTMLElement {
  const label = hostAbilities().revealLine ? 'Open the JSONL at this rollout\'s line' : 'Show this rollout\'s line as written in the file';
  return h('button', { class: 'text-button raw-line-button', attrs: { type: 'button', title: label, 'aria-label': label }, on: { click: () => context.showRawLine() } }, 'raw line');
}

type OutputItem = Extract<ConversationItem, { kind: 'output' }>;

function outputBlock(output: OutputItem, index: number, context: MessageContext): HTMLElement {
  return expandable(output.output.text, 'code', output.output.whole ?? null, () => context.loadItemText(index));
}

function renderItem(item: Exclude<ConversationItem, CallItem>, index: number, context: MessageContext): HTMLElement | null {
  switch (item.kind) {
    case 'message': {
      if (item.role === 'system' || item.role === 'developer') {
        const first = item.text.split('\n')[0] ?? '';
        return h('div', { class: 'msg system', dataset: { turn: String(item.turn) } }, collapsible(roleLabel(item.role), first.length > 110 ? `${first.slice(0, 109)}…` : first, false, messageBody(item.text, context)));
      }
      return h(
        'div',
        { class: `msg ${item.role === 'user' ? 'user' : 'assistant'}`, dataset: { turn: String(item.turn) } },
        h(
          'div',
          { class: 'msg-head' },
          h('span', { class: 'who' }, roleLabel(item.role)),
          item.origin === 'output' ? h('button', { class: 'turn turn-link', attrs: { type: 'button', title: 'Link to this turn' }, dataset: { turnLink: String(item.turn) } }, `turn ${item.turn}`) : null,
          rawLineButton(context),
        ),
        messageBody(item.text, context),
      );
    }
    case 'reasoning':
      return h('div', { class: 'msg reasoning', dataset: { turn: String(item.turn) } }, collapsible('Reasoning', `turn ${item.turn} · ${preview(item.text)}`, false, h('div', { class: 'msg-text' }, item.text || '(no text: encrypted or empty)')));
    case 'output':
      // Outputs are shown with their call; only orphans (no matching call id) stand alone.
      if (item.step !== null) return null;
      return h('div', { class: `step orphan${item.error ? ' failed' : ''}` }, h('div', { class: 'step-head' }, h('span', { class: 'tool-name' }, 'tool output (no matching call)')), outputBlock(item, index, context));
    case 'other':
      return h('div', { class: 'msg other' }, collapsible(item.itemType, 'output item', false, pre(item.json)));
  }
}

/**
 * A tool call in two pieces: its head and arguments, then its output (often the tallest part): a call at the
 * bottom of the screen is drawn without its output until the rest of the rollout is appended.
 */
function callPieces(item: CallItem, found: { item: OutputItem; index: number } | undefined, column: Element, context: MessageContext): Piece[] {
  const output = found?.item;
  const step = h('div', { class: `step${item.stateChanging ? ' writes' : ''}${output?.error ? ' failed' : ''}`, dataset: { step: String(item.step), turn: String(item.turn) } });
  const headAndArguments = (): HTMLElement => {
    step.append(
      h(
        'div',
        { class: 'step-head' },
        h('span', { class: 'step-no' }, String(item.step)),
        toolName(item.name),
        item.stateChanging ? badge('writes', 'write', 'State-changing: the verifier replays this call') : badge('reads', 'read'),
        h('button', { class: 'turn turn-link', attrs: { type: 'button', title: 'Link to this turn' }, dataset: { turnLink: String(item.turn) } }, `turn ${item.turn}`),
      ),
      h('div', { class: 'step-label' }, 'arguments'),
      item.arguments.json ? pre(item.arguments.text) : h('div', null, badge('not valid JSON', 'error'), pre(item.arguments.text)),
    );
    return step;
  };
  const outputPart = (): HTMLElement =>
    found
      ? h('div', { class: `step-output${found.item.error ? ' error' : ''}` }, h('div', { class: 'step-label' }, found.item.error ? 'output · error' : 'output'), outputBlock(found.item, found.index, context))
      : h('div', { class: 'step-label muted' }, 'no output recorded');
  return [
    { parent: column, build: headAndArguments, least: leastCallHeight(item) },
    { parent: step, build: outputPart, least: leastCallOutputHeight(output?.output.text ?? null) },
  ];
}

/** The conversation column (its timeline and title) and its items, built as they are appended. */
function renderConversation(view: RolloutView, context: MessageContext, toggle: HTMLElement): { column: HTMLElement; pieces: Piece[] } {
  const outputsByStep = new Map<number, { item: OutputItem; index: number }>();
  view.items.forEach((item, index) => {
    if (item.kind === 'output' && item.step !== null && !outputsByStep.has(item.step)) outputsByStep.set(item.step, { item, index });
  });
  const column = h('section', { class: 'conversation', attrs: { 'aria-label': 'Conversation' } }, renderTimeline(view.timeline), h('h3', { class: 'pane-title' }, 'Conversation', toggle));
  return {
    column,
    pieces: view.items.flatMap((item, index): Piece[] =>
      item.kind === 'call'
        ? callPieces(item, outputsByStep.get(item.step), column, context)
        : [{ parent: column, build: () => renderItem(item, index, context), least: leastItemHeight(item) }],
    ),
  };
}

// ---- verification ----

const STATUS_TEXT: Record<AlignedCall['status'], string> = { match: 'match', differs: 'arguments differ', missing: 'missing', extra: 'extra' };

function argumentValue(arg: ArgumentDiff, side: 'expected' | 'predicted'): Child[] {
  const value = side === 'expected' ? arg.expectedText : arg.predictedText;
  if (value === null) return [h('span', { class: 'muted' }, '—')];
  return arg.segments ? segments(arg.segments, side) : [value];
}

function argumentTable(args: ArgumentDiff[]): HTMLElement {
  return scrollable(h(
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
          h('td', { class: 'arg-value text-cell' }, ...argumentValue(arg, 'expected')),
          h('td', { class: 'arg-value text-cell' }, ...argumentValue(arg, 'predicted')),
        ),
      ),
    ),
  ));
}

/** Wide tables scroll sideways in their own box instead of squeezing their columns. */
function scrollable(table: HTMLElement): HTMLElement {
  return h('div', { class: 'table-scroll' }, table);
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

/** A section of the verification column: its element, then its parts, built as they are appended into it. */
function sectionPieces(column: Element, section: HTMLElement, parts: { build: () => Node | null; least?: number }[] = []): Piece[] {
  return [placed(column, section, LEAST_SECTION_HEIGHT), ...parts.map((part) => ({ parent: section, ...part }))];
}

function renderGroundTruth(view: RolloutView, column: Element): Piece[] {
  const gt = view.groundTruth;
  const origin = gt.origin === 'input' ? badge('from the input file', 'info', 'This line has no ground truth; it was joined from the task rows') : null;
  const section = h('section', { class: 'panel-section ground-truth' }, h('h3', { class: 'pane-title' }, 'Expected vs. predicted writes ', origin), h('p', { class: 'verdict' }, gt.verdict));
  if (gt.kind === 'no-changes') section.append(h('div', { class: 'note' }, 'Ground truth given as text: ', h('code', null, gt.text ?? '')));
  const parts = gt.rows.map((row) => ({ build: () => alignedRow(row), least: leastAlignedRowHeight(row) }));
  if (gt.readOnlyCalls) parts.push({ build: () => h('p', { class: 'muted small' }, `${plural(gt.readOnlyCalls, 'read-only call')} not compared (the verifier only replays calls; reads change nothing).`), least: 0 });
  return sectionPieces(column, section, parts);
}

function cell(value: unknown): string {
  return plainValue(value);
}

function rowsTable(rows: ExplainedRow[], kind: 'added' | 'removed'): HTMLElement {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  return scrollable(h(
    'table',
    { class: `state-table ${kind}` },
    h('thead', null, h('tr', null, h('th', null, ''), h('th', null, 'label'), ...columns.map((c) => h('th', null, c)))),
    h(
      'tbody',
      null,
      ...rows.map((r) => h('tr', null, h('td', { class: 'sign' }, kind === 'added' ? '+' : '−'), h('td', null, String(r.label)), ...columns.map((c) => h('td', { class: 'text-cell' }, cell(r.values[c]))))),
    ),
  ));
}

function changedTable(rows: ChangedRow[]): HTMLElement {
  return scrollable(h(
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
            ...diffCells(c.expected, c.predicted),
          ),
        ),
      ),
    ),
  ));
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

function renderExplanation(view: RolloutView, column: Element): Piece[] {
  const explanation = view.explanation;
  const title = h('h3', { class: 'pane-title' }, 'Verifier state diff');
  const section = (...content: Child[]) => h('section', { class: 'panel-section explanation' }, title, ...content);
  if (!explanation) {
    if (view.header.reward === null || isPassingReward(view.header.reward)) return [];
    return sectionPieces(column, section(h('p', { class: 'muted small' }, 'This line has no reward_explanation (written by an older resources server). The call alignment above shows how the calls differ.')));
  }
  if (explanation.kind === 'invalid') {
    return sectionPieces(column, section(h('div', { class: 'note' }, `reward_explanation has an unexpected shape (${explanation.problem}):`), expandable(explanation.json)));
  }
  const e = explanation.explanation;
  const lead = explanationLead(e);
  const skipped = (label: string, list: typeof e.skippedPredictedCalls) => ({
    build: () =>
      list.length
        ? h('div', { class: 'skipped' }, h('div', { class: 'step-label' }, label), ...list.map((s) => h('div', { class: 'note' }, `#${s.index + 1} ${s.name}: ${s.reason}`)))
        : null,
  });
  return sectionPieces(column, section(lead ? h('p', { class: 'verdict' }, lead) : null), [
    ...e.tables.map((table) => ({ build: () => tableDifference(table), least: leastTableDifferenceHeight(table) })),
    { build: () => (e.tables.length === 0 ? h('p', { class: 'muted small' }, 'All five tables match.') : null) },
    skipped('Predicted calls the verifier skipped', e.skippedPredictedCalls),
    skipped('Ground-truth calls the verifier skipped', e.skippedGroundTruthCalls),
  ]);
}

/**
 * The explanation's summary without what the sections below it say again: each table's summary and the
 * sentences about skipped calls (listed under the tables), so every sentence is shown once.
 */
export function explanationLead(e: { summary: string; tables: { summary: string }[] }): string {
  let lead = e.summary;
  for (const table of e.tables) lead = lead.replace(table.summary, '');
  return lead.replace(/The replay skipped \d+ (predicted|ground-truth) calls?: .*?\.(?=\s|$)/g, '').replace(/\s{2,}/g, ' ').trim();
}

function renderFields(view: RolloutView, column: Element): Piece[] {
  if (view.fields.length === 0) return [];
  const section = h('section', { class: 'panel-section fields' }, h('h3', { class: 'pane-title' }, 'Other fields'));
  return sectionPieces(column, section, view.fields.map((field) => ({ build: () => collapsible(field.name, preview(field.json), false, expandable(field.json)) })));
}

/** The verification column (empty) and its sections' pieces. */
function renderVerification(view: RolloutView): { column: HTMLElement; pieces: Piece[] } {
  const column = h('aside', { class: 'verification' });
  return { column, pieces: [...renderGroundTruth(view, column), ...renderExplanation(view, column), ...renderFields(view, column)] };
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

const VIEW_CACHE_SIZE = 12;
const BUSY_INDICATOR_DELAY_MS = 150;

/** Markdown or the text as written, for every message; kept across rollouts (and panes) for the session. */
let renderMarkdownMessages = true;

/** One of the two panes: the one shown (class detail-pane) or the spare one, drawn ahead and hidden. */
interface Pane {
  element: HTMLElement;
  notice: HTMLElement;
  body: HTMLElement;
}

export class RolloutDetail {
  /** The frame holding both panes, one over the other. */
  readonly element: HTMLElement;
  private currentView: RolloutView | null = null;
  private generation = 0;
  private front: Pane;
  /**
   * The spare pane: the rollout a person is about to open (the row the pointer rests on, the next one for j),
   * drawn and laid out while hidden, so opening it only swaps the panes and paints.
   */
  private spare: Pane;
  private spareView: { view: RolloutView; markdown: boolean } | null = null;
  /** Rollouts fetched lately (and prefetched neighbours), most recently used last. */
  private readonly views = new Map<string, Promise<RolloutView>>();
  /** The shown rollout's parts below the fold, appended after the frame that shows the rest. */
  private rest: { generation: number; columns: ProgressiveColumn[] } | null = null;
  /** The pane's height, kept by a ResizeObserver: reading it when a rollout opens would lay the page out early. */
  private paneHeight = window.innerHeight;

  constructor(
    private readonly conn: HostConnection,
    private readonly callbacks: DetailCallbacks = {},
    private readonly emptyText = 'Select a rollout (j/k to move, Enter to open).',
  ) {
    this.front = this.makePane();
    this.spare = this.makePane();
    this.setSpare(this.spare, true);
    this.element = h('div', { class: 'detail-frame' }, this.front.element, this.spare.element);
    new ResizeObserver(([entry]) => {
      if (entry && entry.contentRect.height > 0) this.paneHeight = entry.contentRect.height;
    }).observe(this.element);
    this.clear();
  }

  private makePane(): Pane {
    const body = h('div', { class: 'detail-body' });
    const notice = h('div', { class: 'detail-notice', attrs: { role: 'status', 'aria-live': 'polite' } });
    notice.hidden = true;
    const element = h('section', { class: 'detail-pane', attrs: { 'aria-label': 'Rollout' } }, notice, body);
    body.addEventListener('click', (event) => this.onClick(event));
    return { element, notice, body };
  }

  /**
   * The spare pane is hidden from sight, pointer, focus and assistive technology, and from `.detail-pane` selectors,
   * by properties that are not inherited (see the stylesheet): `visibility` or `inert` would restyle each of its
   * hundreds of elements on every swap.
   */
  private setSpare(pane: Pane, spare: boolean): void {
    pane.element.className = spare ? 'detail-pane-spare' : 'detail-pane';
    if (spare) pane.element.setAttribute('aria-hidden', 'true');
    else pane.element.removeAttribute('aria-hidden');
  }

  private get body(): HTMLElement {
    return this.front.body;
  }

  private get notice(): HTMLElement {
    return this.front.notice;
  }

  /** Asks for a rollout the person is likely to open next (the list's neighbours), so it opens without a round trip. */
  prefetch(role: FileRole, entry: number): void {
    void this.fetchView(role, entry).catch(() => undefined);
  }

  /** Fetches a rollout the person is about to open and draws it in the spare pane, so the open is a swap. */
  prepare(role: FileRole, entry: number): void {
    const generation = this.generation;
    void this.fetchView(role, entry).then(
      (view) => {
        // Not if another rollout was opened meanwhile (its own follow-up decides), nor for the one shown.
        if (generation !== this.generation || this.spareHolds(view) || (this.currentView?.role === role && this.currentView.entry === entry)) return;
        this.spareView = null;
        // Laid out now, while the page is idle, then set aside: the browser keeps the layout of a pane whose content
        // is hidden this way, and the swap only paints it.
        this.spare.element.classList.add('drawing');
        this.render(view, 'whole', this.spare);
        this.spare.element.getBoundingClientRect();
        this.spare.element.classList.remove('drawing');
        this.spareView = { view, markdown: renderMarkdownMessages };
        this.spare.element.dataset.prepared = String(entry);
      },
      () => undefined,
    );
  }

  private spareHolds(view: RolloutView): boolean {
    return this.spareView?.view === view && this.spareView.markdown === renderMarkdownMessages;
  }

  /** Shows the spare pane (which holds the rollout being opened) in place of the front one. */
  private swapPanes(): void {
    const shown = this.spare;
    this.spare = this.front;
    this.front = shown;
    this.spareView = null;
    delete this.front.element.dataset.prepared;
    for (const key of ['entry', 'shown', 'role', 'turn']) delete this.spare.element.dataset[key];
    this.spare.element.classList.remove('loading');
    this.setSpare(this.spare, true);
    this.setSpare(this.front, false);
    this.hideNotice();
    // The rollout shown before leaves the page once it is idle (not in the frame that shows the new one).
    const left = this.spare;
    requestIdleCallback(() => {
      if (left === this.spare && !this.spareView) left.body.replaceChildren();
    });
  }

  /** Forgets fetched rollouts (the file was replaced: entries may name other lines). */
  forgetFetched(): void {
    this.views.clear();
    this.spareView = null;
  }

  private fetchView(role: FileRole, entry: number): Promise<RolloutView> {
    const key = `${role}:${entry}`;
    let view = this.views.get(key);
    if (view) {
      // Most recently used last.
      this.views.delete(key);
    } else {
      view = this.conn.request({ type: 'rollout', role, entry });
      view.catch(() => this.views.delete(key));
    }
    this.views.set(key, view);
    while (this.views.size > VIEW_CACHE_SIZE) this.views.delete(this.views.keys().next().value as string);
    return view;
  }

  get current(): { role: FileRole; entry: number } | null {
    return this.currentView ? { role: this.currentView.role, entry: this.currentView.entry } : null;
  }

  clear(message = this.emptyText): void {
    this.generation++;
    this.currentView = null;
    this.rest = null;
    this.spareView = null;
    delete this.front.element.dataset.entry;
    delete this.front.element.dataset.shown;
    setChildren(this.body, h('div', { class: 'empty' }, message));
  }

  async show(role: FileRole, entry: number, options: { turn?: number | null } = {}): Promise<void> {
    const generation = ++this.generation;
    const started = performance.now();
    // The busy bar only for a slow answer: shown at once, it would cost every quick open a frame of its own.
    const busy = setTimeout(() => generation === this.generation && this.front.element.classList.add('loading'), BUSY_INDICATOR_DELAY_MS);
    let view: RolloutView;
    try {
      view = await this.fetchView(role, entry);
    } catch (error) {
      clearTimeout(busy);
      if (generation === this.generation) {
        this.front.element.classList.remove('loading');
        setChildren(this.body, h('div', { class: 'empty error-text' }, `Could not read rollout ${entry}: ${error instanceof Error ? error.message : String(error)}`));
      }
      return;
    }
    clearTimeout(busy);
    if (generation !== this.generation) return;
    this.currentView = view;
    const turn = options.turn ?? null;
    const renderStarted = performance.now();
    let left: ProgressiveColumn[] = [];
    if (this.spareHolds(view)) this.swapPanes();
    // A turn to scroll to may be anywhere: then the whole rollout at once.
    else left = this.render(view, turn === null ? 'first-screen' : 'whole', this.front);
    this.rest = left.length > 0 ? { generation, columns: left } : null;
    const renderMs = performance.now() - renderStarted;
    const pane = this.front.element;
    pane.classList.remove('loading');
    // data-shown: the part on screen is drawn; data-entry: all of the rollout is in the page.
    pane.dataset.shown = String(entry);
    pane.dataset.role = role;
    if (this.rest) this.scheduleRest(generation);
    else pane.dataset.entry = String(entry);
    this.hideNotice();
    // The columns are new elements, already at the top: setting scrollTop would only force a layout now.
    if (turn !== null) this.scrollToTurn(turn);
    this.callbacks.rendered?.(view, { startedAt: started, totalMs: performance.now() - started, renderMs, turn });
  }

  /** Appends the rest after the next frame is painted (or soon, in a hidden page, which paints no frames). */
  private scheduleRest(generation: number): void {
    const finish = () => {
      if (this.rest?.generation === generation) this.finishRest();
    };
    requestAnimationFrame(() => setTimeout(finish, 0));
    setTimeout(finish, 250);
  }

  private finishRest(): void {
    const rest = this.rest;
    if (!rest) return;
    this.rest = null;
    for (const column of rest.columns) column.finish();
    if (this.currentView) this.front.element.dataset.entry = String(this.currentView.entry);
  }

  /** Brings the first item of `turn` into view and marks it; false when the rollout has no such turn. */
  private scrollToTurn(turn: number): boolean {
    this.finishRest();
    const target = this.body.querySelector<HTMLElement>(`.conversation [data-turn="${turn}"]`);
    if (!target) return false;
    for (const marked of this.body.querySelectorAll('.turn-target')) marked.classList.remove('turn-target');
    for (const item of this.body.querySelectorAll<HTMLElement>(`.conversation > [data-turn="${turn}"]`)) item.classList.add('turn-target');
    target.scrollIntoView({ block: 'start' });
    this.front.element.dataset.turn = String(turn);
    return true;
  }

  /** Brings tool call `step` (with its output) into view and marks it. */
  private scrollToStep(step: number): boolean {
    this.finishRest();
    const target = this.body.querySelector<HTMLElement>(`.conversation > .step[data-step="${step}"]`);
    if (!target) return false;
    for (const marked of this.body.querySelectorAll('.turn-target')) marked.classList.remove('turn-target');
    target.classList.add('turn-target');
    target.scrollIntoView({ block: 'start' });
    return true;
  }

  private onClick(event: Event): void {
    if (!this.currentView) return;
    const stepLink = (event.target as Element).closest<HTMLElement>('[data-step-link]');
    if (stepLink) {
      this.scrollToStep(Number(stepLink.dataset.stepLink));
      const turn = Number(stepLink.dataset.tlTurn ?? Number.NaN);
      if (Number.isInteger(turn)) this.callbacks.turnChosen?.(this.currentView, turn);
      return;
    }
    const turnLink = (event.target as Element).closest<HTMLElement>('[data-turn-link]');
    if (!turnLink) return;
    const turn = Number(turnLink.dataset.turnLink);
    this.scrollToTurn(turn);
    this.callbacks.turnChosen?.(this.currentView, turn);
  }

  private showNotice(...content: Child[]): void {
    const close = h('button', { class: 'text-button', attrs: { type: 'button', 'aria-label': 'Close' }, on: { click: () => this.hideNotice() } }, 'close');
    setChildren(this.notice, h('div', { class: 'notice-body' }, ...content), close);
    this.notice.hidden = false;
  }

  private hideNotice(): void {
    this.notice.hidden = true;
    this.notice.replaceChildren();
  }

  private messageContext(view: RolloutView): MessageContext {
    return {
      markdown: renderMarkdownMessages,
      loadItemText: async (index) => (await this.conn.request({ type: 'itemText', role: view.role, entry: view.entry, item: index })).text,
      openLink: (url) => void this.openLink(url),
      showRawLine: () => void this.showRawLine(view),
    };
  }

  private async openLink(url: string): Promise<void> {
    if (hostAbilities().openLinks) {
      const { opened } = await this.conn.request({ type: 'openLink', url });
      if (opened) return;
    }
    // The browser viewer opens nothing from the data: the address is shown, to copy if wanted.
    this.showNotice('Links in rollouts are not opened from the viewer. The address: ', h('code', { class: 'link-address' }, url));
  }

  /** "Jump to raw line": the editor opens the JSONL there; the browser shows the line as written. */
  private async showRawLine(view: RolloutView): Promise<void> {
    if (hostAbilities().revealLine) {
      const { revealed } = await this.conn.request({ type: 'revealLine', role: view.role, entry: view.entry });
      if (revealed) return;
    }
    const raw = await this.conn.request({ type: 'rawLine', role: view.role, entry: view.entry });
    this.showNotice(
      h('div', { class: 'raw-line-title' }, `Line ${fmtInt(raw.lineNumber)} as written (${fmtBytes(raw.bytes)})${raw.truncated ? ', beginning only' : ''}`),
      h('pre', { class: 'code raw-line' }, raw.text),
    );
    this.notice.dataset.line = String(raw.lineNumber);
  }

  private markdownToggle(view: RolloutView): HTMLElement {
    const label = renderMarkdownMessages ? 'Show raw text' : 'Render Markdown';
    return h(
      'button',
      {
        class: 'text-button markdown-toggle',
        attrs: { type: 'button', 'aria-pressed': String(!renderMarkdownMessages), title: 'Messages as rendered Markdown, or as the text written' },
        on: {
          click: () => {
            renderMarkdownMessages = !renderMarkdownMessages;
            const conversation = this.body.querySelector<HTMLElement>('.conversation');
            const scroll = conversation?.scrollTop ?? 0;
            this.spareView = null;
            this.rest = null;
            this.render(view, 'whole', this.front);
            this.front.element.dataset.entry = String(view.entry);
            const replaced = this.body.querySelector<HTMLElement>('.conversation');
            if (replaced) replaced.scrollTop = scroll;
          },
        },
      },
      label,
    );
  }

  /**
   * Draws `view` in `pane`: the whole of it, or (`first-screen`) the header and each column down to the bottom of
   * the pane. Returns the columns with pieces left to append.
   */
  private render(view: RolloutView, extent: 'whole' | 'first-screen', pane: Pane): ProgressiveColumn[] {
    const header = view.header;
    const reward = rewardClass(header.reward);
    const nav = this.callbacks.navigate
      ? h(
          'span',
          { class: 'nav' },
          h('button', { class: 'nav-button', attrs: { type: 'button', title: 'Previous rollout (k)' }, on: { click: () => this.callbacks.navigate?.(-1) } }, '↑ prev'),
          h('button', { class: 'nav-button', attrs: { type: 'button', title: 'Next rollout (j)' }, on: { click: () => this.callbacks.navigate?.(1) } }, 'next ↓'),
        )
      : null;
    const context = this.messageContext(view);
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
      h('div', { class: 'facts-row' }, headerFacts(view), rawLineButton(context)),
    );
    if (view.broken) {
      setChildren(pane.body, title, h('section', { class: 'panel-section' }, h('h3', { class: 'pane-title' }, `Line ${fmtInt(view.lineNumber)} is not a readable rollout`), h('p', { class: 'error-text' }, view.broken), expandable(view.raw ?? '')));
      return [];
    }
    const conversation = renderConversation(view, context, this.markdownToggle(view));
    const verification = renderVerification(view);
    setChildren(pane.body, title, h('div', { class: 'detail-columns' }, conversation.column, verification.column));
    // The verification first: in one column (a narrow pane) it comes first on screen.
    const columns = [new ProgressiveColumn(verification.pieces), new ProgressiveColumn(conversation.pieces)];
    if (extent === 'whole') {
      for (const column of columns) column.finish();
      return [];
    }
    // Enough to fill the pane by the pieces' typical heights, then layouts to confirm (the first is the frame's own).
    for (const column of columns) column.appendAtLeast(this.paneHeight / TYPICAL_OVER_LEAST);
    const bottom = pane.element.getBoundingClientRect().bottom;
    for (const column of columns) column.fillTo(bottom);
    return columns.filter((column) => !column.done);
  }
}
