/**
 * Validate Dataset: every problem of a task file, each on its line. Per-line checks live in `row_checks.ts`;
 * this adds what needs the whole file (duplicate ids, byte-identical lines) and drives files and texts.
 */
import type { DatasetDiagnostic } from './diagnostic';
import { locateJsonPath } from './json_locate';
import { analyzeTaskLine } from './row_checks';
import { isBlankLine, readRawTaskLines, splitRawTaskLines, type RawTaskLine } from './task_lines';

export type { DatasetDiagnostic } from './diagnostic';

/** Checks lines one at a time, remembering what cross-line checks need. */
export class TaskFileValidator {
  private readonly firstLineOfId = new Map<string, number>();
  private readonly firstLineOfRaw = new Map<string, number>();

  check(line: RawTaskLine): DatasetDiagnostic[] {
    const whole = { line: line.line, startColumn: 0, endColumn: Math.max(line.raw.length, 1), field: null, fixable: false };
    if (!line.validUtf8) return [{ ...whole, severity: 'error', code: 'invalid-utf8', message: 'the line is not valid UTF-8' }];
    if (isBlankLine(line.raw)) {
      const trailing = !line.terminated;
      if (trailing) return [];
      return [{ ...whole, severity: 'warning', code: 'blank-line', message: 'blank line: NeMo Gym fails to read it; remove it', fixable: true }];
    }
    const { record, diagnostics } = analyzeTaskLine(line.raw, line.line);

    const duplicateOf = this.firstLineOfRaw.get(line.raw);
    if (duplicateOf === undefined) this.firstLineOfRaw.set(line.raw, line.line);
    else {
      diagnostics.push({
        ...whole,
        severity: 'information',
        code: 'duplicate-line',
        message: `byte-identical to line ${duplicateOf}: both share one task index, so their rollouts count as repeats of one task`,
      });
    }

    const id = record?.id;
    if (id !== undefined && duplicateOf === undefined) {
      const key = String(id);
      const first = this.firstLineOfId.get(key);
      if (first === undefined) this.firstLineOfId.set(key, line.line);
      else diagnostics.push(this.duplicateId(line.raw, line.line, key, first));
    }
    return diagnostics;
  }

  private duplicateId(raw: string, line: number, id: string, first: number): DatasetDiagnostic {
    const located = locateJsonPath(raw, ['id']);
    const range = located?.value ?? { start: 0, end: raw.length };
    return {
      line,
      startColumn: range.start,
      endColumn: range.end,
      severity: 'warning',
      code: 'duplicate-id',
      field: 'id',
      message: `id: ${id} is also the id of line ${first}; rollouts and metrics cannot tell these tasks apart by id`,
      fixable: false,
    };
  }
}

export interface ValidateOptions {
  signal?: AbortSignal;
  /** Called every `yieldEvery` lines so long files do not block an event loop (the editor's). */
  onYield?: () => Promise<void>;
  yieldEvery?: number;
}

async function validateLines(lines: Iterable<RawTaskLine> | AsyncIterable<RawTaskLine>, options: ValidateOptions): Promise<DatasetDiagnostic[]> {
  const validator = new TaskFileValidator();
  const diagnostics: DatasetDiagnostic[] = [];
  const yieldEvery = options.yieldEvery ?? 500;
  let count = 0;
  for await (const line of lines) {
    options.signal?.throwIfAborted();
    for (const diagnostic of validator.check(line)) diagnostics.push(diagnostic);
    count += 1;
    if (options.onYield && count % yieldEvery === 0) await options.onYield();
  }
  return diagnostics;
}

/** Validates a task file, streaming it. */
export function validateTaskFile(path: string, options: ValidateOptions = {}): Promise<DatasetDiagnostic[]> {
  return validateLines(readRawTaskLines(path, { signal: options.signal }), options);
}

/** Validates task-file text (an editor's document). */
export function validateTaskText(text: string, options: ValidateOptions = {}): Promise<DatasetDiagnostic[]> {
  return validateLines(splitRawTaskLines(text), options);
}
