import { diffWordsWithSpace } from 'diff';
import type { DiffSegment } from '../src/core/viewer/model';
import { h, type Child } from './dom';

/**
 * Word-level differences shown side by side: the expected side marks what only it has, the predicted side what
 * only it has; the words both share stay plain. Nothing is struck through: a changed word is highlighted.
 */

/** Longer texts are shown whole, unmarked (the diff of two long unrelated texts helps nobody and costs time). */
const WORD_DIFF_MAX_CHARS = 20_000;

export function wordSegments(expected: string, predicted: string): DiffSegment[] | null {
  if (expected.length + predicted.length > WORD_DIFF_MAX_CHARS) return null;
  return diffWordsWithSpace(expected, predicted).map((change) => ({ op: change.added ? 'added' : change.removed ? 'removed' : 'same', text: change.value }));
}

/** One side of a diff as inline nodes. */
export function sideOf(segments: readonly DiffSegment[], side: 'expected' | 'predicted'): Child[] {
  const own = side === 'expected' ? 'removed' : 'added';
  return segments
    .filter((segment) => segment.op === 'same' || segment.op === own)
    .map((segment) => (segment.op === 'same' ? segment.text : h('mark', { class: `diff-${side}` }, segment.text)));
}

/** A value as a person reads it: strings as their text (real line breaks, no quotes or escapes), the rest as JSON. */
export function plainValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The two cells of a changed value, with the differing words marked on each side. */
export function diffCells(expected: unknown, predicted: unknown): [HTMLElement, HTMLElement] {
  const a = plainValue(expected);
  const b = plainValue(predicted);
  const segments = a === b ? null : wordSegments(a, b);
  const cell = (side: 'expected' | 'predicted', text: string) =>
    h('td', { class: `text-cell ${side}` }, ...(segments ? sideOf(segments, side) : [text]));
  return [cell('expected', a), cell('predicted', b)];
}
