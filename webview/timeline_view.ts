import type { TimelineItem, TimelineView } from '../src/core/viewer/model';
import { h, type Child } from './dom';
import { fmtInt, fmtTokens, plural } from './format';

/**
 * The turn timeline of a rollout: each model call and tool call as a bar on the rollout's time axis (start and
 * duration), with its tokens, attempts and error; the stop that ended the rollout (max_steps) at the end of the
 * axis; what the trajectory did not observe underneath. An item is a button: it leads to its turn or step in the
 * conversation (`data-turn-link` / `data-step-link`, handled by the detail pane).
 */

export function fmtDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

function itemFacts(item: TimelineItem): string[] {
  const facts = [fmtDuration(item.durationMs)];
  if (item.tokens) {
    facts.push(`${fmtTokens(item.tokens.prompt)} in · ${fmtTokens(item.tokens.completion)} out`);
    if (item.tokens.reasoning) facts.push(`${fmtTokens(item.tokens.reasoning)} reasoning`);
    if (item.tokens.cached) facts.push(`${fmtTokens(item.tokens.cached)} cached`);
  }
  return facts;
}

/** Where the bar sits, in percent of the axis; a minimum width keeps short calls visible. */
function barPlacement(item: TimelineItem, totalMs: number): { left: string; width: string } | null {
  if (item.startMs === null || totalMs <= 0) return null;
  const left = Math.min(100, (item.startMs / totalMs) * 100);
  const width = Math.max(0.6, Math.min(100 - left, ((item.durationMs ?? 0) / totalMs) * 100));
  return { left: `${left.toFixed(2)}%`, width: `${width.toFixed(2)}%` };
}

function itemRow(item: TimelineItem, index: number, totalMs: number): HTMLElement {
  const placement = barPlacement(item, totalMs);
  const target: Record<string, string> | null =
    item.kind === 'tool' && item.step !== null ? { stepLink: String(item.step), ...(item.turn !== null ? { tlTurn: String(item.turn) } : {}) } : item.turn !== null ? { turnLink: String(item.turn) } : null;
  const where = item.kind === 'tool' && item.step !== null ? `step ${item.step}` : item.turn !== null ? `turn ${item.turn}` : null;
  const marks: Child[] = [];
  if (item.attempts !== null) marks.push(h('span', { class: 'tl-mark retried', title: `The model server needed ${item.attempts} HTTP attempts for this call` }, `${item.attempts} attempts`));
  if (item.problem) marks.push(h('span', { class: `tl-mark ${item.status}` }, item.problem));
  const label = `${item.label}${where ? `, ${where}` : ''}: ${[...itemFacts(item), item.attempts !== null ? `${item.attempts} attempts` : null, item.problem].filter(Boolean).join(', ')}`;
  return h(
    'button',
    {
      class: `tl-item ${item.kind} ${item.status}${item.attempts !== null ? ' retried' : ''}`,
      attrs: { type: 'button', title: target ? `Show ${where} in the conversation` : 'Not in the conversation', 'aria-label': label, disabled: target === null },
      dataset: { index: String(index), kind: item.kind, ...(target ?? {}) },
    },
    h('span', { class: 'tl-label' }, h('span', { class: 'tl-name', title: item.label }, item.kind === 'model' ? item.label.replace(/^model call /, 'model #') : item.label)),
    h('span', { class: 'tl-track' }, placement ? h('span', { class: 'tl-bar', style: placement }) : h('span', { class: 'tl-untimed muted' }, 'not timed')),
    h('span', { class: 'tl-facts' }, h('span', { class: 'tl-where muted' }, where ?? ''), ...itemFacts(item).map((fact) => h('span', { class: 'tl-fact' }, fact)), ...marks),
  );
}

function axis(totalMs: number): HTMLElement {
  const ticks = [0, 0.5, 1].map((f) => h('span', { class: 'tl-tick', style: { left: `${f * 100}%` } }, f === 0 ? '0' : fmtDuration(totalMs * f)));
  return h('div', { class: 'tl-axis', attrs: { 'aria-hidden': 'true' } }, h('span', { class: 'tl-label' }), h('span', { class: 'tl-track' }, ...ticks), h('span', { class: 'tl-facts' }));
}

function summary(view: Extract<TimelineView, { kind: 'timeline' }>): string {
  const models = view.items.filter((i) => i.kind === 'model').length;
  const tools = view.items.length - models;
  const errors = view.items.filter((i) => i.status === 'error').length;
  const cut = view.items.filter((i) => i.status === 'cut').length;
  const retried = view.items.filter((i) => i.attempts !== null).length;
  const parts = [plural(models, 'model call'), plural(tools, 'tool call'), fmtDuration(view.totalMs)];
  if (errors) parts.push(plural(errors, 'error'));
  if (cut) parts.push(`${fmtInt(cut)} cut short`);
  if (retried) parts.push(`${fmtInt(retried)} retried`);
  if (view.status && view.status !== 'completed') parts.push(view.error ? `${view.status} (${view.error})` : view.status);
  return parts.join(' · ');
}

export function renderTimeline(view: TimelineView): HTMLElement {
  if (view.kind === 'absent') return h('section', { class: 'timeline absent', attrs: { 'aria-label': 'Timeline' } }, h('p', { class: 'timeline-absent muted small' }, view.reason));
  const title = h('h3', { class: 'pane-title' }, 'Timeline', h('span', { class: 'timeline-summary' }, summary(view)));
  const content: Child[] = [title];
  if (view.items.length > 0) {
    content.push(axis(view.totalMs), h('div', { class: 'tl-items' }, ...view.items.map((item, k) => itemRow(item, k, view.totalMs))));
  } else {
    content.push(h('p', { class: 'muted small' }, 'The trajectory lists no model or tool calls.'));
  }
  if (view.stop) content.push(h('div', { class: 'tl-stop', dataset: { code: view.stop.code } }, h('span', { class: 'tl-stop-mark', attrs: { 'aria-hidden': 'true' } }, '■'), view.stop.text));
  if (view.gaps.length > 0) {
    content.push(h('ul', { class: 'tl-gaps muted small' }, ...view.gaps.map((gap) => h('li', { dataset: { code: gap.code }, title: gap.code }, gap.text))));
  }
  return h('section', { class: 'timeline', attrs: { 'aria-label': 'Timeline' } }, ...content);
}
