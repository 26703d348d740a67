/**
 * Validate Dataset on a 50,000-line task file: WorkBench's 690 tasks (27 tools each, ~17 KB a line) repeated
 * with fresh ids, a few broken lines mixed in. Prints lines/s for the streaming file path and the in-memory text
 * path the editor uses, and for parseTaskLine alone (what the collector runs per row).
 *
 *   node scripts/run-bench.mjs bench/dataset_validate.bench.ts [lines] [tasks.jsonl or .jsonl.gz]
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTaskLine } from '../src/core/dataset/task_rows';
import { readRawTaskLines, splitRawTaskLines } from '../src/core/dataset/task_lines';
import { validateTaskFile, validateTaskText } from '../src/core/dataset/validate_dataset';
import { readTaskLines } from './support/data';

const lineCount = Number(process.argv[2] ?? 50_000);
const source = process.argv[3];

async function writeBenchFile(path: string): Promise<void> {
  const templates = readTaskLines(source);
  const out = createWriteStream(path);
  for (let index = 0; index < lineCount; index += 1) {
    let line = templates[index % templates.length]!.replace(/^\{"id": \d+/, `{"id": ${index}`);
    if (index % 5_000 === 17) line = line.slice(0, 200);
    if (index % 5_000 === 42) line = line.replace('"strict": false}', '"strict": false, "database": "email"}');
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

const TEXT_LINES = 20_000;

async function firstLines(path: string, count: number): Promise<string> {
  const parts: string[] = [];
  for await (const line of readRawTaskLines(path)) {
    if (line.line > count) break;
    parts.push(line.raw);
  }
  return `${parts.join('\n')}\n`;
}

function report(label: string, lines: number, milliseconds: number, extra = ''): void {
  const perSecond = Math.round((lines / milliseconds) * 1000);
  console.log(`${label.padEnd(34)} ${String(lines).padStart(7)} lines in ${(milliseconds / 1000).toFixed(2).padStart(6)} s = ${String(perSecond).padStart(7)} lines/s ${extra}`);
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'gym-dataset-bench-'));
  const path = join(directory, 'tasks.jsonl');
  try {
    await writeBenchFile(path);
    console.log(`bench file: ${lineCount} lines, ${(statSync(path).size / 1e6).toFixed(0)} MB (from ${source})`);

    let started = performance.now();
    const fromFile = await validateTaskFile(path);
    report('validateTaskFile (streaming)', lineCount, performance.now() - started, `(${fromFile.length} diagnostics)`);

    // A JS string holds at most 512 MB, so the in-memory paths take the first TEXT_LINES lines.
    const textLines = Math.min(lineCount, TEXT_LINES);
    const text = await firstLines(path, textLines);
    started = performance.now();
    const fromText = await validateTaskText(text, { onYield: () => new Promise((done) => setImmediate(done)) });
    report('validateTaskText (yielding)', textLines, performance.now() - started, `(${fromText.length} diagnostics)`);

    started = performance.now();
    let failed = 0;
    for (const line of splitRawTaskLines(text)) if (!parseTaskLine(line.raw, path, line.line).ok) failed += 1;
    report('parseTaskLine', textLines, performance.now() - started, `(${failed} rows failed)`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
