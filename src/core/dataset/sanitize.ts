/**
 * A sanitized copy of a task file: function tools in the flat Responses shape with only the standard keys,
 * blank lines dropped. The original is never modified; rows that need no change are copied byte for byte, so
 * their task identity (the raw line string) is unchanged.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { isBlankLine, readRawTaskLines } from './task_lines';
import { repairToolList } from '../schema/tool_schema_repair';

export interface SanitizeReport {
  outputPath: string;
  /** Rows written (blank lines excluded). */
  rows: number;
  rowsChanged: number;
  blankLinesRemoved: number;
  /** Lines copied unchanged because they are not JSON objects (Validate Dataset still reports them). */
  unparseableLines: number[];
}

/** `tasks.jsonl` → `tasks.sanitized.jsonl` next to it. */
export function defaultSanitizedPath(inputPath: string): string {
  const extension = extname(inputPath) || '.jsonl';
  return join(dirname(inputPath), `${basename(inputPath, extname(inputPath))}.sanitized${extension}`);
}

/** The sanitized JSON text of one row, or null when the row needs no change (or is not a JSON object). */
export function sanitizeTaskLine(raw: string): { text: string | null; parseable: boolean } {
  let row: unknown;
  try {
    row = JSON.parse(raw);
  } catch {
    return { text: null, parseable: false };
  }
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return { text: null, parseable: false };
  const record = row as Record<string, unknown>;
  const params = record.responses_create_params;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return { text: null, parseable: true };
  const { tools, repairs } = repairToolList((params as Record<string, unknown>).tools);
  const changed = repairs.length > 0;
  if (!changed) return { text: null, parseable: true };
  return { text: JSON.stringify({ ...record, responses_create_params: { ...params, tools } }), parseable: true };
}

export async function writeSanitizedCopy(inputPath: string, outputPath = defaultSanitizedPath(inputPath)): Promise<SanitizeReport> {
  if (resolve(outputPath) === resolve(inputPath)) throw new Error('the sanitized copy must not overwrite the original file');
  const temporaryPath = `${outputPath}.${process.pid}.tmp`;
  const out = createWriteStream(temporaryPath);
  const report: SanitizeReport = { outputPath, rows: 0, rowsChanged: 0, blankLinesRemoved: 0, unparseableLines: [] };
  try {
    for await (const line of readRawTaskLines(inputPath)) {
      if (isBlankLine(line.raw)) {
        if (line.terminated) report.blankLinesRemoved += 1;
        continue;
      }
      const { text, parseable } = sanitizeTaskLine(line.raw);
      if (!parseable) report.unparseableLines.push(line.line);
      if (text !== null) report.rowsChanged += 1;
      report.rows += 1;
      if (!out.write(`${text ?? line.raw}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'close');
    await rename(temporaryPath, outputPath);
    return report;
  } catch (error) {
    out.destroy();
    await rm(temporaryPath, { force: true });
    throw error;
  }
}
