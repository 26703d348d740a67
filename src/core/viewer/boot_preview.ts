import { fmtBytes, plural } from './display_format';
import type { RolloutRow } from './model';
import type { BootSnapshot } from './protocol';
import { LIST_COLUMNS, rowDisplay } from './row_display';
import { escapeHtml } from './html_escape';

/**
 * The page's first screen, written by the host when the file is already indexed: the tab bar and the list's first
 * rows, in the list's own classes, so they are on screen with the page's first paint (before the bundle has even
 * loaded). The page replaces it with the live list when it starts. Every value from the file is escaped here.
 */

/** The Element Timing name of the first rows, written by the host or built by the page (see webview/perf.ts). */
export const FIRST_ROWS_TIMING = 'first-rows';

function rowHtml(row: RolloutRow, first: boolean): string {
  const d = rowDisplay(row);
  const flag = d.flag ? `<span class="${d.flag.className}" title="${escapeHtml(d.flag.title)}">${escapeHtml(d.flag.text)}</span>` : '';
  return (
    `<div class="vrow boot-row${row.broken ? ' broken' : ''}">` +
    '<div class="vrow-line">' +
    `<span class="${d.pillClass}">${escapeHtml(d.pill)}</span>` +
    `<span class="c-task" title="${escapeHtml(d.taskTitle)}"><b>${escapeHtml(d.task)}</b>${escapeHtml(d.repeat)}</span>` +
    `<span class="c-category" title="${escapeHtml(d.categoryTitle)}">${escapeHtml(d.category)}</span>` +
    `<span class="c-num">${escapeHtml(d.turns)}</span>` +
    `<span class="c-num" title="${escapeHtml(d.callsTitle)}">${escapeHtml(d.calls)}</span>` +
    `<span class="c-num">${escapeHtml(d.tokens)}</span>` +
    `<span class="c-flags">${flag}</span>` +
    '</div>' +
    `<div class="${d.textClass}"${first ? ` elementtiming="${FIRST_ROWS_TIMING}"` : ''}>${escapeHtml(d.text)}</div>` +
    '</div>'
  );
}

export function renderBootPreview(boot: BootSnapshot): string {
  const file = boot.info.primary;
  const tabs = ['Summary', 'Rollouts', ...(boot.info.compare ? ['Compare'] : []), 'Failures']
    .map((label) => `<span class="boot-tab${label === 'Rollouts' ? ' active' : ''}">${label}</span>`)
    .join('');
  const header = LIST_COLUMNS.map(([className, label]) => `<span class="${className}">${escapeHtml(label)}</span>`).join('');
  const rows = boot.list.rows.map((row, k) => rowHtml(row, k === 0)).join('');
  const shown = boot.list.total === boot.list.rows.length || boot.list.entryRuns === null ? '' : ` · ${plural(boot.list.total, 'rollout')}`;
  return (
    '<div class="boot-preview" aria-busy="true">' +
    `<div class="boot-bar"><div class="boot-tabs">${tabs}</div>` +
    `<div class="topbar"><span class="file-chip"><span class="file-name">${escapeHtml(file.name)}</span><span class="muted"> · ${escapeHtml(plural(file.rollouts, 'rollout'))} · ${escapeHtml(fmtBytes(file.bytes))}</span></span></div></div>` +
    '<div class="boot-split"><section class="list-pane">' +
    '<div class="boot-controls"></div>' +
    `<div class="list-header" aria-hidden="true">${header}</div>` +
    `<div class="boot-rows" role="listbox" aria-label="Rollouts${escapeHtml(shown)}">${rows}</div>` +
    '</section><section class="detail-pane"></section></div>' +
    '</div>'
  );
}

/** The snapshot as the text of a `<script type="application/json">`: no `<` in it, so no `</script>` can end it early. */
export function bootJson(boot: BootSnapshot): string {
  return JSON.stringify(boot).replace(/</g, '\\u003c');
}
