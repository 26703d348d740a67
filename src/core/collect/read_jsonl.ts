import { readFileSync } from 'node:fs';
import { readRawTaskLines } from '../dataset/task_lines';

/** The JSON objects of a JSONL file with their text, streamed; lines that are not JSON objects are skipped. */
export async function* readJsonlRecords(path: string, onBadLine?: (line: number) => void): AsyncGenerator<{ raw: string; line: number; record: Record<string, unknown> }> {
  for await (const line of readRawTaskLines(path)) {
    if (line.raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line.raw);
    } catch {
      onBadLine?.(line.line);
      continue;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) yield { raw: line.raw, line: line.line, record: value as Record<string, unknown> };
    else onBadLine?.(line.line);
  }
}

/** The JSON objects of a JSONL file, streamed; lines that are not JSON objects are skipped. */
export async function* readJsonlObjects(path: string, onBadLine?: (line: number) => void): AsyncGenerator<Record<string, unknown>> {
  for await (const { record } of readJsonlRecords(path, onBadLine)) yield record;
}

/** A line of a rollout or input file keyed by `(_ng_task_index, _ng_rollout_index)`. */
export interface KeyedJsonlLine {
  text: string;
  line: number;
  record: Record<string, unknown>;
  task: number;
  rollout: number;
}

/**
 * Every non-blank line of a keyed JSONL file, read whole; a line that is not JSON, or lacks integer
 * `_ng_task_index`/`_ng_rollout_index`, is an error made by the caller (its wording names the caller's file kind).
 */
export function readKeyedJsonlLines(path: string, errors: { malformed: (line: number, reason: string) => Error; unkeyed: (line: number) => Error }): KeyedJsonlLine[] {
  const keyed: KeyedJsonlLine[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      const text = raw.trim();
      if (text === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw errors.malformed(index + 1, (error as Error).message);
      }
      const record = value as Record<string, unknown>;
      if (typeof value !== 'object' || value === null || Array.isArray(value) || !Number.isInteger(record._ng_task_index) || !Number.isInteger(record._ng_rollout_index)) {
        throw errors.unkeyed(index + 1);
      }
      keyed.push({ text, line: index + 1, record, task: record._ng_task_index as number, rollout: record._ng_rollout_index as number });
    });
  return keyed;
}
