import type { PyDict, PyValue } from '../../python/value';
import { approximateCellBytes, type StateBudget } from './state_budget';

/** One cell as pandas holds it in an object column. `null` stands for both NaN (an empty CSV field) and None. */
export type Cell = PyValue;

/** A row in column order. Rows are never mutated once built: a change replaces the row in its table. */
export type Row = readonly Cell[];

/** An immutable table: the shared base every session starts from. */
export interface TableSnapshot {
  readonly name: string;
  readonly columns: readonly string[];
  readonly columnIndex: ReadonlyMap<string, number>;
  readonly rows: readonly Row[];
  /** pandas row labels, one per row; `null` is the default 0…n-1 (a RangeIndex). */
  readonly labels: readonly number[] | null;
}

export function makeSnapshot(name: string, columns: readonly string[], rows: readonly Row[]): TableSnapshot {
  return { name, columns, columnIndex: new Map(columns.map((column, index) => [column, index])), rows, labels: null };
}

export function rowToRecord(columns: readonly string[], row: Row): PyDict {
  const record: PyDict = new Map();
  for (let i = 0; i < columns.length; i++) record.set(columns[i] as string, row[i] ?? null);
  return record;
}

function rangeLabels(count: number): number[] {
  const labels = new Array<number>(count);
  for (let i = 0; i < count; i++) labels[i] = i;
  return labels;
}

/**
 * A session's view of one table, copy-on-write: it reads the shared snapshot until its first change, then works on
 * its own copy of the row list (the row objects themselves stay shared until a cell of one of them changes).
 * The label operations mirror what pandas does to the index (WORKPLACE_TOOLS.md §3.4).
 */
export class CowTable {
  private rowList: readonly Row[];
  private labelList: readonly number[] | null;
  private owned = false;
  private rewriteCount = 0;

  /** `budget`: what the session may still add; writes past it are refused before they change anything. */
  constructor(
    readonly base: TableSnapshot,
    private readonly budget: StateBudget | null = null,
  ) {
    this.rowList = base.rows;
    this.labelList = base.labels;
  }

  get columns(): readonly string[] {
    return this.base.columns;
  }

  get rows(): readonly Row[] {
    return this.rowList;
  }

  /** The label list, or `null` when the labels are 0…n-1. */
  get labels(): readonly number[] | null {
    return this.labelList;
  }

  /** True while the session has not changed this table, so comparing it with another untouched copy is O(1). */
  get isUntouched(): boolean {
    return !this.owned;
  }

  /**
   * How many times rows already in the table were removed or changed. Appends do not count: while this stays the
   * same, the rows seen earlier are still the first rows, unchanged, so a fold over them can resume where it stopped.
   */
  get rewrites(): number {
    return this.rewriteCount;
  }

  label(index: number): number {
    return this.labelList === null ? index : (this.labelList[index] as number);
  }

  columnIndexOf(column: string): number | undefined {
    return this.base.columnIndex.get(column);
  }

  snapshot(): TableSnapshot {
    return { ...this.base, rows: this.rowList, labels: this.labelList };
  }

  /** `pd.concat([df, new_row], ignore_index=True)`: append, then relabel every row 0…n-1. */
  appendAndRelabel(row: Row): void {
    this.chargeRow(row);
    this.pushRow(row);
    this.labelList = null;
  }

  /** Append with an explicit label (calendar create uses 0; plots use the row count before the append). */
  appendWithLabel(row: Row, label: number): void {
    this.chargeRow(row);
    const keepsRange = this.labelList === null && label === this.rowList.length;
    this.pushRow(row);
    if (keepsRange) return;
    if (this.labelList === null) this.labelList = rangeLabels(this.rowList.length - 1);
    (this.labelList as number[]).push(label);
  }

  /** `df[~mask]`: remove the masked rows; the remaining rows keep their labels. */
  removeRows(mask: readonly boolean[]): number {
    const keptRows: Row[] = [];
    const keptLabels: number[] = [];
    const current = this.rowList;
    for (let i = 0; i < current.length; i++) {
      if (mask[i]) continue;
      keptRows.push(current[i] as Row);
      keptLabels.push(this.label(i));
    }
    const removed = current.length - keptRows.length;
    if (removed === 0) return 0;
    this.rowList = keptRows;
    this.labelList = keptLabels;
    this.owned = true;
    this.rewriteCount++;
    return removed;
  }

  /**
   * `df.loc[mask, column] = …`: the n-th selected row gets `valueOf(n)`. The changed rows are replaced by copies;
   * the others stay shared.
   */
  setCells(mask: readonly boolean[], columnIndex: number, valueOf: (selectedIndex: number) => Cell): number {
    if (this.budget) {
      let bytes = 0;
      let selected = 0;
      for (const isSelected of mask) if (isSelected) bytes += approximateCellBytes(valueOf(selected++));
      if (selected > 0) this.budget.charge(bytes);
    }
    let changed = 0;
    const current = this.rowList;
    for (let i = 0; i < current.length; i++) {
      if (!mask[i]) continue;
      const updated = (current[i] as Row).slice();
      updated[columnIndex] = valueOf(changed);
      this.ownRows()[i] = updated;
      changed++;
    }
    if (changed > 0) this.rewriteCount++;
    return changed;
  }

  private chargeRow(row: Row): void {
    if (this.budget) this.budget.charge(row.reduce((sum: number, cell) => sum + approximateCellBytes(cell), 0));
  }

  /** Appends a row; the first change copies the shared list to its exact new size (no spare capacity). */
  private pushRow(row: Row): void {
    if (this.owned) {
      (this.rowList as Row[]).push(row);
      return;
    }
    this.rowList = this.rowList.concat([row]);
    if (this.labelList !== null) this.labelList = this.labelList.slice();
    this.owned = true;
  }

  private ownRows(): Row[] {
    if (!this.owned) {
      this.rowList = this.rowList.slice();
      if (this.labelList !== null) this.labelList = this.labelList.slice();
      this.owned = true;
    }
    return this.rowList as Row[];
  }
}
