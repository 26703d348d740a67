import type { TableDifference } from '../src/core/schema/reward_explanation';
import type { AlignedCall, CallItem, ConversationItem } from '../src/core/viewer/model';
import { PREVIEW_LINES } from '../src/core/viewer/text_preview';

/**
 * Heights the rollout pane's parts take at least, in CSS pixels, known before anything is laid out (whatever the
 * fonts, sizes and widths turn out to be): most of the pane's first screen is appended by them before the first
 * layout (see TYPICAL_OVER_LEAST). An estimate only decides how much is appended before the check
 * (ProgressiveColumn.fillTo); it never leaves the screen short.
 */

/** A line of text: the smallest text in the pane (10 px) at a line height under `normal`. */
const LINE = 11;
/** A card's borders and padding, or a heading's margin. */
const CHROME = 8;

/** Lines in text shown with its line breaks (`white-space: pre-wrap`), as far as a preview shows. */
function shownLines(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0 && lines < PREVIEW_LINES; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/** Blocks of Markdown (paragraphs): its single line breaks may join lines into one. */
function paragraphs(text: string): number {
  return text.split(/\n[ \t]*\n/).length;
}

export function leastItemHeight(item: Exclude<ConversationItem, CallItem>): number {
  switch (item.kind) {
    case 'message':
      if (item.role === 'system' || item.role === 'developer') return CHROME + LINE;
      return CHROME + LINE + paragraphs(item.text) * LINE;
    case 'reasoning':
    case 'other':
      return CHROME + LINE;
    case 'output':
      return item.step === null ? CHROME + LINE + shownLines(item.output.text) * LINE : 0;
  }
}

/** A tool call's head and arguments. */
export function leastCallHeight(item: CallItem): number {
  return CHROME + 2 * LINE + shownLines(item.arguments.text) * LINE;
}

/** A tool call's output (its label and text), or the line saying there is none. */
export function leastCallOutputHeight(outputText: string | null): number {
  return LINE + (outputText === null ? 0 : shownLines(outputText) * LINE);
}

export function leastAlignedRowHeight(row: AlignedCall): number {
  const body = row.status === 'missing' || row.status === 'extra' ? shownLines((row.expected ?? row.predicted)?.arguments.text ?? '') : row.arguments.length + 1;
  return CHROME + LINE + body * LINE;
}

export function leastTableDifferenceHeight(table: TableDifference): number {
  const tables = [table.added.length, table.removed.length, table.changed.length].filter((rows) => rows > 0).length;
  const rows = table.added.length + table.removed.length + table.changed.reduce((sum, row) => sum + row.cells.length, 0);
  return CHROME + 2 * LINE + (rows + tables) * LINE;
}

/** A section's heading and first line. */
export const LEAST_SECTION_HEIGHT = CHROME + 2 * LINE;

/**
 * How many times their least heights the pieces of a rollout usually are, at the least (measured on the benchmark's
 * rollouts: 1.4 for a collapsed message, 1.8 to 3 for a tool call, 7 to 11 for a section with its first part).
 * Pieces whose least heights add up to the pane's height over this fill most of it: the check that follows appends
 * the rest piece by piece, and the column ends within one piece of the screen's bottom instead of screens below it.
 */
export const TYPICAL_OVER_LEAST = 3;
