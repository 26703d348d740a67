/**
 * The data the benchmarks read, from the repository (run them from its root, as `npm run bench` does): the
 * workplace tables the product ships and the WorkBench tasks the tests carry (gzip-compressed).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const WORKPLACE_TABLES_DIR = resolve('data/workplace_assistant');
export const WORKBENCH_TASKS_GZ = resolve('test/fixtures/workbench/tasks.jsonl.gz');

/** The non-blank lines of a task file: `path` (plain or `.gz`), else the WorkBench tasks. */
export function readTaskLines(path: string = WORKBENCH_TASKS_GZ): string[] {
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text.split('\n').filter((line) => line.trim() !== '');
}
