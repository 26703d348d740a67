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
