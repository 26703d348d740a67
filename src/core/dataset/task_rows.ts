/**
 * Task rows as the collector reads them: one NeMo Gym input row per line, with the raw line text kept byte-exact
 * (the task index is the index of the distinct raw line string, NEMO_GYM_PROTOCOL.md §5.2).
 */
import { basename } from 'node:path';
import { findExcessiveNesting, nestingMessage } from '../json_limits';
import type { DatasetDiagnostic } from './diagnostic';
import { analyzeTaskLine, type TaskRecord } from './row_checks';
import { isBlankLine, readRawTaskLines } from './task_lines';

export { TaskRecord } from './row_checks';

export interface TaskRow {
  file: string;
  /** 1-based line number. */
  line: number;
  /** The line exactly as written, without its `\n`. */
  raw: string;
  record: TaskRecord;
}

export interface RowError {
  file: string;
  line: number;
  /** Dotted path of the field at fault, or null when the whole line is (invalid JSON, not an object). */
  field: string | null;
  /** `tasks.jsonl:17: responses_create_params.input: expected a string or a list of input items`. */
  message: string;
}

export type ParsedTaskLine = { ok: true; row: TaskRow } | { ok: false; error: RowError };

function rowError(file: string, diagnostic: DatasetDiagnostic): RowError {
  return { file, line: diagnostic.line, field: diagnostic.field, message: `${basename(file)}:${diagnostic.line}: ${diagnostic.message}` };
}

/**
 * Parses one line. A row fails on the first error-level problem (invalid JSON, a field NeMo Gym's schemas
 * reject, a tool shape that makes endpoints answer 422); warnings such as unknown ground-truth tools do not fail it.
 */
export function parseTaskLine(text: string, file: string, lineNumber: number): ParsedTaskLine {
  if (isBlankLine(text)) {
    return { ok: false, error: { file, line: lineNumber, field: null, message: `${basename(file)}:${lineNumber}: blank line (expected a JSON task row)` } };
  }
  const tooDeep = findExcessiveNesting(text);
  if (tooDeep) {
    return { ok: false, error: { file, line: lineNumber, field: null, message: `${basename(file)}:${lineNumber}: ${nestingMessage(tooDeep)}` } };
  }
  const analysis = analyzeTaskLine(text, lineNumber);
  const firstError = analysis.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
  if (firstError || !analysis.record) {
    const diagnostic = firstError ?? analysis.diagnostics[0];
    const error: RowError = diagnostic
      ? rowError(file, diagnostic)
      : { file, line: lineNumber, field: null, message: `${basename(file)}:${lineNumber}: not a task row` };
    return { ok: false, error };
  }
  return { ok: true, row: { file, line: lineNumber, raw: text, record: analysis.record } };
}

export interface ReadTaskLine {
  line: number;
  raw: string;
  /** Set on line 1 when the file started with a UTF-8 byte-order mark (dropped). */
  byteOrderMark?: true;
  /** False only for a last line without a trailing `\n`. */
  terminated: boolean;
  parsed: ParsedTaskLine;
}

/**
 * Streams a task file's rows in order, each with its parse result. Blank lines are skipped (they hold no task);
 * everything else is yielded, so callers decide whether a bad row stops them.
 */
export async function* readTaskFile(path: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<ReadTaskLine> {
  for await (const line of readRawTaskLines(path, options)) {
    if (isBlankLine(line.raw)) continue;
    const parsed: ParsedTaskLine = line.validUtf8
      ? parseTaskLine(line.raw, path, line.line)
      : { ok: false, error: { file: path, line: line.line, field: null, message: `${basename(path)}:${line.line}: the line is not valid UTF-8` } };
    yield { line: line.line, raw: line.raw, terminated: line.terminated, parsed, ...(line.byteOrderMark ? { byteOrderMark: true as const } : {}) };
  }
}
