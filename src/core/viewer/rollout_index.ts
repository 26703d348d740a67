import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { Column, StringPool, float64Column, int32Column, uint16Column, uint32Column, uint8Column } from './columns';
import { skipWhitespace } from './json_scan';
import { parseJsonLenient } from './json_text';
import { DEFAULT_CHUNK_SIZE, readRange, scanLines } from './line_reader';
import { summarizeLine, type LineSummary } from './line_summary';

/**
 * An index of a rollout JSONL file: for every non-empty line, its byte range and the summary fields the list,
 * filters and statistics use, in typed columns (a few dozen bytes per rollout). Built in one streaming pass;
 * `appendNewBytes()` indexes only what a running collection appended since. Lines are parsed in full only when
 * shown (`readRollout`).
 */

export interface IndexOptions {
  signal?: AbortSignal;
  /** Bytes scanned so far and the file size at the start of the pass. */
  onProgress?: (bytes: number, total: number) => void;
  chunkSize?: number;
}

/** One entry's summary, as plain data. */
export interface IndexEntry {
  entry: number;
  lineNumber: number;
  offset: number;
  byteLength: number;
  broken: string | null;
  reward: number | null;
  taskIndex: number | null;
  rolloutIndex: number | null;
  taskId: string | null;
  category: string | null;
  agentName: string | null;
  title: string | null;
  turns: number;
  toolCalls: number;
  stateChangingCalls: number;
  toolErrors: number;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  responseError: string | null;
  hasGroundTruth: boolean;
  hasRewardExplanation: boolean;
}

export interface AppendResult {
  /** Entries added by this call. */
  added: number;
  /** The file shrank or was replaced, so the index was rebuilt from the start. */
  reset: boolean;
}

/** A last line that has no newline yet and is not a complete JSON object: a writer is (or was) mid-line. */
export interface PendingTail {
  lineNumber: number;
  offset: number;
  byteLength: number;
}

/** How many bytes at each end of the scanned part tell an append from a rewrite. */
const KNOWN_BYTES_CHECKED = 4096;

/** Absolute byte ranges of the parts text search reads; 0-length when absent. */
export interface SearchRanges {
  input: readonly [number, number];
  output: readonly [number, number];
}

const FLAG_BROKEN = 1;
const FLAG_GROUND_TRUTH = 2;
const FLAG_EXPLANATION = 4;

function orNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

function cap16(value: number): number {
  return Math.min(value, 0xffff);
}

export class RolloutIndex {
  private entries = 0;
  private readonly offsets = float64Column(0);
  private readonly lengths = uint32Column();
  private readonly lineNumbers = uint32Column();
  private readonly rewards = float64Column();
  private readonly taskIndexes = int32Column();
  private readonly rolloutIndexes = int32Column();
  private readonly turnCounts = uint16Column();
  private readonly toolCallCounts = uint16Column();
  private readonly stateChangingCounts = uint16Column();
  private readonly toolErrorCounts = uint16Column();
  private readonly inputTokenCounts = float64Column();
  private readonly outputTokenCounts = float64Column();
  private readonly totalTokenCounts = float64Column();
  private readonly flags = uint8Column();
  /** Search ranges, relative to the line start. */
  private readonly inputStarts = uint32Column();
  private readonly inputEnds = uint32Column();
  private readonly outputStarts = uint32Column();
  private readonly outputEnds = uint32Column();
  private readonly categoryIds = int32Column();
  private readonly taskIdIds = int32Column();
  private readonly titleIds = int32Column();
  private readonly agentIds = int32Column();
  private readonly problemIds = int32Column();
  private readonly categoryPool = new StringPool();
  private readonly taskIdPool = new StringPool();
  private readonly titlePool = new StringPool();
  private readonly textPool = new StringPool();

  /** Bytes consumed: everything before this offset is indexed (or is blank lines). */
  private scannedTo = 0;
  private nextLineNumber = 1;
  /** The last entry when it is a complete object still waiting for its newline; -1 otherwise. */
  private unterminatedEntry = -1;
  private tail: PendingTail | null = null;
  private fileIdentity: string | null = null;
  /** File size when last scanned. */
  private knownSize = 0;
  /** Modification time when last scanned. */
  private knownMtimeMs = 0;
  /** The first and last bytes of what was scanned: an append leaves them as they were, a rewrite does not. */
  private knownHead: Buffer = Buffer.alloc(0);
  private knownTail: Buffer = Buffer.alloc(0);
  private appendQueue: Promise<unknown> = Promise.resolve();

  private constructor(readonly path: string) {}

  static async open(path: string, options: IndexOptions = {}): Promise<RolloutIndex> {
    const index = new RolloutIndex(path);
    await index.scanFromStart(options);
    return index;
  }

  get count(): number {
    return this.entries;
  }

  /** Bytes of the file the index covers. */
  get indexedBytes(): number {
    return this.scannedTo;
  }

  get pendingTail(): PendingTail | null {
    return this.tail;
  }

  offset(i: number): number {
    return this.offsets.get(i);
  }
  byteLength(i: number): number {
    return this.lengths.get(i);
  }
  lineNumber(i: number): number {
    return this.lineNumbers.get(i);
  }
  /** NaN when the line has no numeric reward. */
  reward(i: number): number {
    return this.rewards.get(i);
  }
  /** -1 when absent. */
  taskIndex(i: number): number {
    return this.taskIndexes.get(i);
  }
  /** -1 when absent. */
  rolloutIndex(i: number): number {
    return this.rolloutIndexes.get(i);
  }
  turns(i: number): number {
    return this.turnCounts.get(i);
  }
  toolCalls(i: number): number {
    return this.toolCallCounts.get(i);
  }
  stateChangingCalls(i: number): number {
    return this.stateChangingCounts.get(i);
  }
  toolErrors(i: number): number {
    return this.toolErrorCounts.get(i);
  }
  inputTokens(i: number): number {
    return this.inputTokenCounts.get(i);
  }
  outputTokens(i: number): number {
    return this.outputTokenCounts.get(i);
  }
  totalTokens(i: number): number {
    return this.totalTokenCounts.get(i);
  }
  category(i: number): string | null {
    return this.categoryPool.get(this.categoryIds.get(i));
  }
  taskId(i: number): string | null {
    return this.taskIdPool.get(this.taskIdIds.get(i));
  }
  title(i: number): string | null {
    return this.titlePool.get(this.titleIds.get(i));
  }
  agentName(i: number): string | null {
    return this.textPool.get(this.agentIds.get(i));
  }
  /** The parse problem of a broken line, or null. */
  broken(i: number): string | null {
    return this.flags.get(i) & FLAG_BROKEN ? this.textPool.get(this.problemIds.get(i)) : null;
  }
  responseError(i: number): string | null {
    return this.flags.get(i) & FLAG_BROKEN ? null : this.textPool.get(this.problemIds.get(i));
  }
  hasGroundTruth(i: number): boolean {
    return (this.flags.get(i) & FLAG_GROUND_TRUTH) !== 0;
  }
  hasRewardExplanation(i: number): boolean {
    return (this.flags.get(i) & FLAG_EXPLANATION) !== 0;
  }
  searchRanges(i: number): SearchRanges {
    const base = this.offsets.get(i);
    return {
      input: [base + this.inputStarts.get(i), base + this.inputEnds.get(i)],
      output: [base + this.outputStarts.get(i), base + this.outputEnds.get(i)],
    };
  }
  /** Distinct categories found on the lines, in order of first appearance. */
  categories(): readonly string[] {
    return this.categoryPool.all();
  }

  entry(i: number): IndexEntry {
    const taskIndex = this.taskIndex(i);
    const rolloutIndex = this.rolloutIndex(i);
    return {
      entry: i,
      lineNumber: this.lineNumber(i),
      offset: this.offset(i),
      byteLength: this.byteLength(i),
      broken: this.broken(i),
      reward: orNull(this.reward(i)),
      taskIndex: taskIndex < 0 ? null : taskIndex,
      rolloutIndex: rolloutIndex < 0 ? null : rolloutIndex,
      taskId: this.taskId(i),
      category: this.category(i),
      agentName: this.agentName(i),
      title: this.title(i),
      turns: this.turns(i),
      toolCalls: this.toolCalls(i),
      stateChangingCalls: this.stateChangingCalls(i),
      toolErrors: this.toolErrors(i),
      inputTokens: orNull(this.inputTokens(i)),
      outputTokens: orNull(this.outputTokens(i)),
      totalTokens: orNull(this.totalTokens(i)),
      responseError: this.responseError(i),
      hasGroundTruth: this.hasGroundTruth(i),
      hasRewardExplanation: this.hasRewardExplanation(i),
    };
  }

  /** Records that a line the scanner accepted failed the full parse. */
  markBroken(i: number, message: string): void {
    if (i < 0 || i >= this.entries) return;
    this.flags.set(i, FLAG_BROKEN);
    this.problemIds.set(i, this.textPool.intern(message));
    this.rewards.set(i, Number.NaN);
  }

  /** Approximate memory held by the columns, for diagnostics. */
  get columnBytes(): number {
    const columns: Column<Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>[] = [
      this.offsets, this.lengths, this.lineNumbers, this.rewards, this.taskIndexes, this.rolloutIndexes,
      this.turnCounts, this.toolCallCounts, this.stateChangingCounts, this.toolErrorCounts, this.inputTokenCounts,
      this.outputTokenCounts, this.totalTokenCounts, this.flags, this.inputStarts, this.inputEnds,
      this.outputStarts, this.outputEnds, this.categoryIds, this.taskIdIds, this.titleIds, this.agentIds,
      this.problemIds,
    ];
    return columns.reduce((sum, column) => sum + column.byteLength, 0);
  }

  /**
   * Indexes the bytes appended since the last call. A half-written last line is left for a later call; a file
   * that shrank or was replaced is re-indexed from the start. Calls are serialised.
   */
  appendNewBytes(options: IndexOptions = {}): Promise<AppendResult> {
    const run = this.appendQueue.then(() => this.appendNow(options));
    this.appendQueue = run.catch(() => undefined);
    return run;
  }

  private async appendNow(options: IndexOptions): Promise<AppendResult> {
    const info = await stat(this.path);
    const identity = `${info.dev}:${info.ino}`;
    // Same size but written again (an editor's save, `cp` over it): any byte may have changed.
    const rewrittenInPlace = info.size === this.knownSize && info.mtimeMs !== this.knownMtimeMs;
    if (identity !== this.fileIdentity || info.size < this.knownSize || rewrittenInPlace) {
      await this.scanFromStart(options);
      return { added: this.entries, reset: true };
    }
    const before = this.entries;
    if (info.size === this.knownSize) return { added: 0, reset: false };
    const handle = await open(this.path, 'r');
    let appended: boolean;
    try {
      // Truncated and written again longer between two looks (`cp`, `cat >`): not an append.
      appended = await this.knownBytesUnchanged(handle);
      if (appended) {
        await this.scan(handle, info.size, options);
        await this.rememberKnownBytes(handle, info.mtimeMs);
      }
    } finally {
      await handle.close();
    }
    if (!appended) {
      await this.scanFromStart(options);
      return { added: this.entries, reset: true };
    }
    return { added: this.entries - before, reset: false };
  }

  private async scanFromStart(options: IndexOptions): Promise<void> {
    this.clear();
    const handle = await open(this.path, 'r');
    try {
      const info = await handle.stat();
      this.fileIdentity = `${info.dev}:${info.ino}`;
      await this.scan(handle, info.size, options);
      await this.rememberKnownBytes(handle, info.mtimeMs);
    } finally {
      await handle.close();
    }
  }

  private async rememberKnownBytes(handle: FileHandle, mtimeMs: number): Promise<void> {
    const length = Math.min(KNOWN_BYTES_CHECKED, this.knownSize);
    this.knownHead = await readRange(handle, 0, length);
    this.knownTail = await readRange(handle, this.knownSize - length, length);
    this.knownMtimeMs = mtimeMs;
  }

  private async knownBytesUnchanged(handle: FileHandle): Promise<boolean> {
    const length = this.knownHead.length;
    const [head, tail] = await Promise.all([readRange(handle, 0, length), readRange(handle, this.knownSize - length, length)]);
    return head.equals(this.knownHead) && tail.equals(this.knownTail);
  }

  private clear(): void {
    this.entries = 0;
    this.scannedTo = 0;
    this.knownSize = 0;
    this.nextLineNumber = 1;
    this.unterminatedEntry = -1;
    this.tail = null;
    this.knownHead = Buffer.alloc(0);
    this.knownTail = Buffer.alloc(0);
    for (const pool of [this.categoryPool, this.taskIdPool, this.titlePool, this.textPool]) pool.clear();
  }

  private async scan(handle: FileHandle, size: number, options: IndexOptions): Promise<void> {
    if (this.unterminatedEntry >= 0) await this.terminateLastEntry(handle, size);
    const total = size;
    const result = await scanLines(
      handle,
      this.scannedTo,
      size,
      this.nextLineNumber,
      (buf, start, end, offset, byteLength, lineNumber) => {
        if (skipWhitespace(buf, start, end) === end) return; // blank line
        this.add(summarizeLine(buf, start, end), offset, byteLength, lineNumber);
      },
      {
        chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (offset) => options.onProgress?.(offset, total),
      },
    );
    this.knownSize = size;
    this.scannedTo = result.tailStart;
    this.nextLineNumber = result.nextLineNumber;
    this.tail = null;
    if (result.tailStart < size) await this.takeTail(handle, result.tailStart, size, result.nextLineNumber);
  }

  /** The last line has no newline: index it if it is already a complete object, else wait for the rest. */
  private async takeTail(handle: FileHandle, offset: number, size: number, lineNumber: number): Promise<void> {
    const bytes = await readRange(handle, offset, size - offset);
    let end = bytes.length;
    while (end > 0 && (bytes[end - 1] === 0x0d || bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
    if (skipWhitespace(bytes, 0, end) === end) return; // only blanks so far
    const summary = summarizeLine(bytes, 0, end);
    if (summary.broken !== null) {
      this.tail = { lineNumber, offset, byteLength: bytes.length };
      return;
    }
    this.add(summary, offset, bytes.length, lineNumber);
    this.unterminatedEntry = this.entries - 1;
    this.scannedTo = size;
    this.nextLineNumber = lineNumber + 1;
  }

  /** Bytes arrived after a complete but unterminated last line: absorb its line break. */
  private async terminateLastEntry(handle: FileHandle, size: number): Promise<void> {
    const entry = this.unterminatedEntry;
    this.unterminatedEntry = -1;
    const next = await readRange(handle, this.scannedTo, Math.min(2, size - this.scannedTo));
    let taken = 0;
    if (next[0] === 0x0a) taken = 1;
    else if (next[0] === 0x0d && next[1] === 0x0a) taken = 2;
    // Otherwise a writer appended without a line break; the new bytes start a line of their own.
    this.lengths.set(entry, this.lengths.get(entry) + taken);
    this.scannedTo += taken;
  }

  private add(summary: LineSummary, offset: number, byteLength: number, lineNumber: number): void {
    const i = this.entries++;
    this.offsets.set(i, offset);
    this.lengths.set(i, byteLength);
    this.lineNumbers.set(i, lineNumber);
    this.rewards.set(i, summary.reward);
    this.taskIndexes.set(i, summary.taskIndex);
    this.rolloutIndexes.set(i, summary.rolloutIndex);
    this.turnCounts.set(i, cap16(summary.turns));
    this.toolCallCounts.set(i, cap16(summary.toolCalls));
    this.stateChangingCounts.set(i, cap16(summary.stateChangingCalls));
    this.toolErrorCounts.set(i, cap16(summary.toolErrors));
    this.inputTokenCounts.set(i, summary.inputTokens);
    this.outputTokenCounts.set(i, summary.outputTokens);
    this.totalTokenCounts.set(i, summary.totalTokens);
    let flags = 0;
    if (summary.broken !== null) flags |= FLAG_BROKEN;
    if (summary.hasGroundTruth) flags |= FLAG_GROUND_TRUTH;
    if (summary.hasRewardExplanation) flags |= FLAG_EXPLANATION;
    this.flags.set(i, flags);
    const base = offset;
    this.inputStarts.set(i, summary.inputEnd > 0 ? summary.inputStart - base : 0);
    this.inputEnds.set(i, summary.inputEnd > 0 ? summary.inputEnd - base : 0);
    this.outputStarts.set(i, summary.outputEnd > 0 ? summary.outputStart - base : 0);
    this.outputEnds.set(i, summary.outputEnd > 0 ? summary.outputEnd - base : 0);
    this.categoryIds.set(i, this.categoryPool.intern(summary.category));
    this.taskIdIds.set(i, this.taskIdPool.intern(summary.taskId));
    this.titleIds.set(i, this.titlePool.intern(summary.title));
    this.agentIds.set(i, this.textPool.intern(summary.agentName));
    this.problemIds.set(i, this.textPool.intern(summary.broken ?? summary.responseError));
  }
}

/** One line read back in full. */
export interface RolloutLine {
  entry: number;
  lineNumber: number;
  /** The parsed object, or null when the line is broken. */
  record: Record<string, unknown> | null;
  /** Why the line could not be shown as a rollout. */
  error: string | null;
  /** The line's text (without its line break). */
  text: string;
}

/** Reads and parses entry `i` (only its byte range is read). */
export async function readRollout(index: RolloutIndex, i: number): Promise<RolloutLine> {
  if (!Number.isInteger(i) || i < 0 || i >= index.count) throw new RangeError(`no rollout ${i} (the file has ${index.count})`);
  const handle = await open(index.path, 'r');
  let bytes: Buffer;
  try {
    bytes = await readRange(handle, index.offset(i), index.byteLength(i));
  } finally {
    await handle.close();
  }
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  const text = bytes.toString('utf8', 0, end);
  const lineNumber = index.lineNumber(i);
  const parsed = parseJsonLenient(text);
  if (!parsed.ok) {
    index.markBroken(i, parsed.error);
    return { entry: i, lineNumber, record: null, error: parsed.error, text };
  }
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { entry: i, lineNumber, record: null, error: 'not a JSON object', text };
  }
  return { entry: i, lineNumber, record: value as Record<string, unknown>, error: null, text };
}

/** The text of entry `i` as written (line break removed), at most `maxBytes` of it. */
export async function readLineText(index: RolloutIndex, i: number, maxBytes: number): Promise<string> {
  const handle = await open(index.path, 'r');
  try {
    const bytes = await readRange(handle, index.offset(i), Math.min(index.byteLength(i), maxBytes));
    let end = bytes.length;
    while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
    return bytes.toString('utf8', 0, end);
  } finally {
    await handle.close();
  }
}

/** The entry of a task's repeat (the first line of it, if the file repeats it); the task's first line when `rolloutIndex` is null. */
export function locateRollout(index: RolloutIndex, taskIndex: number, rolloutIndex: number | null): number | null {
  for (let i = 0; i < index.count; i++) {
    if (index.taskIndex(i) === taskIndex && (rolloutIndex === null || index.rolloutIndex(i) === rolloutIndex)) return i;
  }
  return null;
}
