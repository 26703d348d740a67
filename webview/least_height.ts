import type { TableDifference } from '../src/core/schema/reward_explanation';
import type { AlignedCall, ConversationItem } from '../src/core/viewer/model';
import { PREVIEW_LINES } from '../src/core/viewer/text_preview';

/**
 * Heights the rollout pane's parts take at least, in CSS pixels, known before anything is laid out: enough of a
 * rollout to fill the pane is appended at once (one layout), whatever the fonts, sizes and widths turn out to be.
 * Under-estimates only cost an extra check (ProgressiveColumn.fillTo); they never leave the screen short.
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

export function leastItemHeight(item: ConversationItem, outputText: string | null): number {
  switch (item.kind) {
    case 'message':
      if (item.role === 'system' || item.role === 'developer') return CHROME + LINE;
      return CHROME + LINE + paragraphs(item.text) * LINE;
    case 'reasoning':
    case 'other':
      return CHROME + LINE;
    case 'call':
      return CHROME + 3 * LINE + shownLines(item.arguments.text) * LINE + (outputText === null ? 0 : shownLines(outputText) * LINE);
    case 'output':
      return item.step === null ? CHROME + LINE + shownLines(item.output.text) * LINE : 0;
  }
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
