import { pyRepr } from '../../python/repr';
import { PyFloat, type PyValue } from '../../python/value';
import type { CellValue, ChangedCell, ChangedRow, ExplainedRow, RewardExplanation, TableDifference } from '../../schema/reward_explanation';
import { cellsEquivalent, isLowerCasedColumn } from './compare';
import type { ComparedTableName, WorkplaceSession } from './session';
import type { CowTable, Row } from './table';

export interface SkippedCall {
  index: number;
  name: string;
  /** The exception the replay swallowed, as `Type: message`. */
  reason: string;
}

interface ReplayedSide {
  session: WorkplaceSession;
  skipped: SkippedCall[];
}

export interface ExplainInput {
  reward: number;
  differing: readonly ComparedTableName[];
  predicted: ReplayedSide;
  expected: ReplayedSide;
  predictedCallCount: number;
  groundTruthIsString: boolean;
}

/** Columns that make a row recognisable in a sentence, besides its id. */
const DESCRIBING_COLUMNS: Record<ComparedTableName, readonly string[]> = {
  email: ['sender/recipient', 'subject'],
  calendar: ['event_name', 'event_start'],
  analytics_plots: [],
  project_management: ['task_name', 'assigned_to_email'],
  customer_relationship_manager: ['customer_name', 'status'],
};

const MAX_ITEMS_IN_SENTENCE = 4;

/** A stored value as the explanation carries it (JSON scalars; containers as their Python repr). */
export function toCellValue(value: PyValue): CellValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof PyFloat) return Number.isNaN(value.value) ? null : value.value;
  return pyRepr(value);
}

/** A stored value in a sentence: its Python repr (`'Won'`, `60`, `None`; an empty CSV cell, NaN, shows as None). */
function show(value: PyValue): string {
  if (value instanceof PyFloat && Number.isNaN(value.value)) return 'None';
  return pyRepr(value);
}

/** A row as stored; its key is the id column (the file path for plots), which is the first column in every table. */
function explainedRow(table: CowTable, index: number): ExplainedRow {
  const row = table.rows[index] as Row;
  const values: Record<string, CellValue> = {};
  table.columns.forEach((column, c) => {
    values[column] = toCellValue(row[c] ?? null);
  });
  return { label: table.label(index), key: toCellValue(row[0] ?? null), values };
}

function matchKey(value: PyValue): string {
  return typeof value === 'string' ? `s:${value}` : `r:${pyRepr(value)}`;
}

interface RowPair {
  predicted: number;
  expected: number;
}

/** Rows are matched by their id column (k-th occurrence with k-th occurrence); plots by position. */
function pairRows(name: ComparedTableName, predicted: CowTable, expected: CowTable): { pairs: RowPair[]; added: number[]; removed: number[] } {
  if (name === 'analytics_plots') {
    const common = Math.min(predicted.rows.length, expected.rows.length);
    const pairs = Array.from({ length: common }, (_, i) => ({ predicted: i, expected: i }));
    const added = Array.from({ length: predicted.rows.length - common }, (_, i) => common + i);
    const removed = Array.from({ length: expected.rows.length - common }, (_, i) => common + i);
    return { pairs, added, removed };
  }
  const expectedByKey = new Map<string, number[]>();
  expected.rows.forEach((row, i) => {
    const key = matchKey(row[0] ?? null);
    const list = expectedByKey.get(key);
    if (list === undefined) expectedByKey.set(key, [i]);
    else list.push(i);
  });
  const pairs: RowPair[] = [];
  const added: number[] = [];
  predicted.rows.forEach((row, i) => {
    const candidates = expectedByKey.get(matchKey(row[0] ?? null));
    const match = candidates?.shift();
    if (match === undefined) added.push(i);
    else pairs.push({ predicted: i, expected: match });
  });
  const removed = [...expectedByKey.values()].flat().sort((a, b) => a - b);
  return { pairs, added, removed };
}

interface CellNote {
  cell: ChangedCell;
  note: string | null;
}

/** Why two stored values differ for the verifier, when the stored values alone do not make it obvious. */
function differenceNote(column: string, predicted: PyValue, expected: PyValue): string | null {
  if (isLowerCasedColumn(column)) {
    if (typeof predicted !== typeof expected) {
      return 'a type difference: the verifier lower-cases strings and turns every non-string value into NaN';
    }
    return null;
  }
  if (typeof predicted === 'string' && typeof expected === 'string' && predicted.toLowerCase() === expected.toLowerCase()) {
    return `only the letter case differs, and ${column} is compared without lower-casing`;
  }
  if (typeof predicted !== typeof expected && !(predicted === null || expected === null)) return 'a type difference';
  return null;
}

function changedCells(table: CowTable, predictedRow: Row, expectedRow: Row): CellNote[] {
  const cells: CellNote[] = [];
  table.columns.forEach((column, c) => {
    const predicted = predictedRow[c] ?? null;
    const expected = expectedRow[c] ?? null;
    if (cellsEquivalent(isLowerCasedColumn(column), predicted, expected)) return;
    cells.push({ cell: { column, expected: toCellValue(expected), predicted: toCellValue(predicted) }, note: differenceNote(column, predicted, expected) });
  });
  return cells;
}

function rowName(name: ComparedTableName, table: CowTable, index: number): string {
  const row = table.rows[index] as Row;
  if (name === 'analytics_plots') return `plot ${show(row[0] ?? null)}`;
  const details = DESCRIBING_COLUMNS[name]
    .map((column) => {
      const c = table.columnIndexOf(column);
      return c === undefined ? null : `${column} ${show(row[c] ?? null)}`;
    })
    .filter((detail): detail is string => detail !== null);
  const id = row[0] ?? null;
  const idText = typeof id === 'string' ? id : show(id);
  return details.length > 0 ? `row ${idText} (${details.join(', ')})` : `row ${idText}`;
}

function listRows(name: ComparedTableName, table: CowTable, indices: readonly number[]): string {
  const named = indices.slice(0, MAX_ITEMS_IN_SENTENCE).map((i) => rowName(name, table, i));
  const more = indices.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more row${more === 1 ? '' : 's'}` : named.join(', ');
}

function limited(items: string[]): string {
  if (items.length <= MAX_ITEMS_IN_SENTENCE) return items.join('; ');
  return `${items.slice(0, MAX_ITEMS_IN_SENTENCE).join('; ')}; and ${items.length - MAX_ITEMS_IN_SENTENCE} more`;
}

/** Whether the matched rows sit in the same relative order under the same labels on both sides. */
function sameOrderAndLabels(pairs: readonly RowPair[], predicted: CowTable, expected: CowTable): boolean {
  let previousExpected = -1;
  for (const pair of pairs) {
    if (pair.expected < previousExpected) return false;
    previousExpected = pair.expected;
    if (predicted.label(pair.predicted) !== expected.label(pair.expected)) return false;
  }
  return true;
}

function labelSequence(table: CowTable): string {
  const count = table.rows.length;
  if (table.labels === null) return count === 0 ? 'none' : `0…${count - 1}`;
  const shown = Array.from({ length: Math.min(count, 8) }, (_, i) => table.label(i));
  return `[${shown.join(', ')}${count > 8 ? ', …' : ''}]`;
}

function firstLabelDifference(name: ComparedTableName, predicted: CowTable, expected: CowTable): string {
  const count = Math.min(predicted.rows.length, expected.rows.length);
  for (let i = 0; i < count; i++) {
    const predictedKey = matchKey(predicted.rows[i]?.[0] ?? null);
    const expectedKey = matchKey(expected.rows[i]?.[0] ?? null);
    if (predictedKey !== expectedKey) {
      return `position ${i} holds ${rowName(name, predicted, i)} (label ${predicted.label(i)}) where the ground truth has ${rowName(name, expected, i)} (label ${expected.label(i)})`;
    }
    if (predicted.label(i) !== expected.label(i)) {
      return `${rowName(name, predicted, i)} at position ${i} has label ${predicted.label(i)} but label ${expected.label(i)} in the ground truth`;
    }
  }
  return `labels ${labelSequence(predicted)} vs ${labelSequence(expected)}`;
}

/** Plots are compared in order: say so when both sides made the same plots. */
function samePlotsInAnotherOrder(predicted: CowTable, expected: CowTable): boolean {
  const paths = (table: CowTable): string[] => table.rows.map((row) => show(row[0] ?? null)).sort();
  const a = paths(predicted);
  const b = paths(expected);
  return a.length === b.length && a.every((path, i) => path === b[i]);
}

function explainTable(name: ComparedTableName, predicted: CowTable, expected: CowTable): TableDifference {
  const { pairs, added, removed } = pairRows(name, predicted, expected);
  const changed: ChangedRow[] = [];
  const sentences: string[] = [];
  for (const pair of pairs) {
    const cells = changedCells(predicted, predicted.rows[pair.predicted] as Row, expected.rows[pair.expected] as Row);
    if (cells.length === 0) continue;
    const key = predicted.rows[pair.predicted]?.[0] ?? null;
    changed.push({
      key: toCellValue(key),
      expectedLabel: expected.label(pair.expected),
      predictedLabel: predicted.label(pair.predicted),
      cells: cells.map(({ cell }) => cell),
    });
    const rowText = name === 'analytics_plots' ? `plot #${pair.predicted + 1}` : `row ${typeof key === 'string' ? key : show(key)}`;
    for (const { cell, note } of cells) {
      const predictedValue = show((predicted.rows[pair.predicted] as Row)[predicted.columnIndexOf(cell.column) as number] ?? null);
      const expectedValue = show((expected.rows[pair.expected] as Row)[expected.columnIndexOf(cell.column) as number] ?? null);
      sentences.push(`${rowText} ${cell.column} is ${predictedValue} but the ground truth expects ${expectedValue}${note === null ? '' : ` (${note})`}`);
    }
  }
  const addedRows = added.map((i) => explainedRow(predicted, i));
  const removedRows = removed.map((i) => explainedRow(expected, i));
  if (added.length > 0) {
    sentences.push(`the predicted calls leave ${listRows(name, predicted, added)} that the ground truth does not have`);
  }
  if (removed.length > 0) {
    sentences.push(`the ground truth has ${listRows(name, expected, removed)} that the predicted end state lacks`);
  }
  if (name === 'analytics_plots' && changed.length > 0 && samePlotsInAnotherOrder(predicted, expected)) {
    sentences.unshift('the same plots were created in a different order (plots are compared in order)');
  }
  const orderOrLabelsDiffer = !sameOrderAndLabels(pairs, predicted, expected) || (changed.length === 0 && added.length === 0 && removed.length === 0);
  if (orderOrLabelsDiffer && changed.length === 0 && added.length === 0 && removed.length === 0) {
    sentences.push(
      `the rows hold the same values, but their row labels or order differ (pandas DataFrame.equals compares both, so the same writes in another order can fail); ${firstLabelDifference(name, predicted, expected)}`,
    );
  } else if (orderOrLabelsDiffer) {
    sentences.push('the row labels or order differ as well');
  }
  return { table: name, added: addedRows, removed: removedRows, changed, orderOrLabelsDiffer, summary: `${name}: ${limited(sentences)}.` };
}

function describeSkipped(side: string, skipped: readonly SkippedCall[]): string | null {
  if (skipped.length === 0) return null;
  const items = skipped.map((call) => `#${call.index + 1} ${call.name} (${call.reason})`);
  return `The replay skipped ${skipped.length} ${side} call${skipped.length === 1 ? '' : 's'}: ${limited(items)}.`;
}

/** The structured explanation of a verification (shape: `src/core/schema/reward_explanation.ts`). */
export function explainReward(input: ExplainInput): RewardExplanation {
  const tables = input.differing.map((name) =>
    explainTable(name, input.predicted.session.comparedTable(name), input.expected.session.comparedTable(name)),
  );
  const parts: string[] = [];
  if (input.reward === 1) {
    parts.push("Reward 1: the predicted calls leave all five compared tables as the ground truth's calls do.");
  } else {
    parts.push(
      `Reward 0: ${tables.length} of the five compared tables ${tables.length === 1 ? 'differs' : 'differ'} from the ground truth's end state. ${tables.map((table) => table.summary).join(' ')}`,
    );
  }
  if (input.groundTruthIsString) {
    parts.push('The ground truth is a string, so no ground-truth calls are replayed: the expected end state is the initial state.');
  }
  if (input.predictedCallCount === 0) parts.push('The response made no function calls.');
  const predictedSkips = describeSkipped('predicted', input.predicted.skipped);
  const expectedSkips = describeSkipped('ground-truth', input.expected.skipped);
  if (predictedSkips !== null) parts.push(predictedSkips);
  if (expectedSkips !== null) parts.push(expectedSkips);
  return {
    reward: input.reward,
    tables,
    skippedPredictedCalls: input.predicted.skipped,
    skippedGroundTruthCalls: input.expected.skipped,
    summary: parts.join(' '),
  };
}
