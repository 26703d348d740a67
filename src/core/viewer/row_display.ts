import { fmtInt, fmtReward, fmtTokens, plural, rewardClass, shortCategory } from './display_format';
import type { RolloutRow } from './model';

/**
 * What a list row shows, as text and class names: the page builds its rows from it, and the host renders the first
 * rows of the page from it, so both look the same.
 */
export interface RowDisplay {
  pillClass: string;
  pill: string;
  task: string;
  repeat: string;
  taskTitle: string;
  category: string;
  categoryTitle: string;
  turns: string;
  calls: string;
  callsTitle: string;
  tokens: string;
  flag: { className: string; title: string; text: string } | null;
  /** The second line: the task's prompt, or why the line is broken. */
  text: string;
  textClass: string;
}

export function rowDisplay(row: RolloutRow): RowDisplay {
  const broken = row.broken !== null;
  let flag: RowDisplay['flag'] = null;
  if (row.broken) flag = { className: 'flag error', title: row.broken, text: '!' };
  else if (row.responseError) flag = { className: 'flag error', title: row.responseError, text: '!' };
  else if (row.toolErrors) flag = { className: 'flag warn', title: `${plural(row.toolErrors, 'tool call')} returned an error`, text: '⚠' };
  return {
    pillClass: `pill ${broken ? 'fail' : rewardClass(row.reward)}`,
    pill: broken ? 'ERR' : fmtReward(row.reward),
    task: row.taskId ?? (row.taskIndex !== null ? `#${row.taskIndex}` : '—'),
    repeat: row.rolloutIndex !== null ? ` · r${row.rolloutIndex}` : '',
    taskTitle: `line ${row.lineNumber}`,
    category: shortCategory(row.category),
    categoryTitle: row.category ?? '',
    turns: broken ? '' : String(row.turns),
    calls: broken ? '' : String(row.toolCalls),
    callsTitle: `${row.stateChangingCalls} state-changing`,
    tokens: fmtTokens(row.totalTokens),
    flag,
    text: row.broken ? `line ${fmtInt(row.lineNumber)}: ${row.broken}` : (row.title ?? '(no user message)'),
    textClass: row.broken ? 'vrow-text error-text' : 'vrow-text',
  };
}

/** The list's column headings, in order with their classes. */
export const LIST_COLUMNS: readonly [className: string, label: string][] = [
  ['c-reward', 'reward'],
  ['c-task', 'task · repeat'],
  ['c-category', 'category'],
  ['c-num', 'turns'],
  ['c-num', 'calls'],
  ['c-num', 'tokens'],
  ['c-flags', ''],
];
