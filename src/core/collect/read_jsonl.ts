import { readRawTaskLines } from '../dataset/task_lines';

/** The JSON objects of a JSONL file, streamed; lines that are not JSON objects are skipped. */
export async function* readJsonlObjects(path: string, onBadLine?: (line: number) => void): AsyncGenerator<Record<string, unknown>> {
  for await (const line of readRawTaskLines(path)) {
    if (line.raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line.raw);
    } catch {
      onBadLine?.(line.line);
      continue;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) yield value as Record<string, unknown>;
    else onBadLine?.(line.line);
  }
}
