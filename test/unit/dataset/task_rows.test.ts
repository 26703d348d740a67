import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRawTaskLines, splitRawTaskLines } from '../../../src/core/dataset/task_lines';
import { parseTaskLine, readTaskFile } from '../../../src/core/dataset/task_rows';
import { validRow, withParams } from './rows';

const temporaryDirectories: string[] = [];
function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'gym-dataset-'));
  temporaryDirectories.push(directory);
  return directory;
}
afterAll(() => {
  for (const directory of temporaryDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function tempFile(content: string | Buffer): string {
  const path = join(temporaryDirectory(), 'tasks.jsonl');
  writeFileSync(path, content);
  return path;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('parseTaskLine', () => {
  it('returns the row with its raw text', () => {
    const raw = JSON.stringify(validRow({ id: 3 }));
    const result = parseTaskLine(raw, '/data/tasks.jsonl', 4);
    expect(result).toEqual({ ok: true, row: expect.objectContaining({ line: 4, raw, file: '/data/tasks.jsonl' }) });
    if (result.ok) expect(result.row.record.id).toBe(3);
  });

  it('names file, line and field in its error message', () => {
    const result = parseTaskLine(JSON.stringify(withParams({ input: 5 })), '/data/tasks.jsonl', 17);
    expect(result).toEqual({
      ok: false,
      error: {
        file: '/data/tasks.jsonl',
        line: 17,
        field: 'responses_create_params.input',
        message: 'tasks.jsonl:17: responses_create_params.input: expected a string or a list of input items',
      },
    });
  });

  it('fails on invalid JSON without a field', () => {
    const result = parseTaskLine('{"id":', 'tasks.jsonl', 2);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.field).toBeNull();
      expect(result.error.message).toMatch(/^tasks\.jsonl:2: invalid JSON/);
    }
  });

  it('fails on tool keys that make endpoints answer 422', () => {
    const row = withParams({ tools: [{ type: 'function', name: 'x', parameters: {}, strict: false, database: 'email' }] });
    const result = parseTaskLine(JSON.stringify(row), 'tasks.jsonl', 1);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.field).toBe('responses_create_params.tools[0].database');
  });

  it('does not fail on warnings (unknown ground-truth tools)', () => {
    const row = validRow({ ground_truth: [{ name: 'nope', arguments: '{}' }] });
    expect(parseTaskLine(JSON.stringify(row), 'tasks.jsonl', 1).ok).toBe(true);
  });

  it('fails on a blank line', () => {
    expect(parseTaskLine('   ', 'tasks.jsonl', 1).ok).toBe(false);
  });
});

describe('raw lines', () => {
  it('keep a carriage return and everything else byte-exact', () => {
    const lines = [...splitRawTaskLines('{"a": 1}\r\n {"b":2}\n{"c":3}')];
    expect(lines.map((line) => [line.raw, line.terminated])).toEqual([
      ['{"a": 1}\r', true],
      [' {"b":2}', true],
      ['{"c":3}', false],
    ]);
  });

  it('split files on bytes, so multi-byte characters across chunk boundaries survive', async () => {
    const text = `${'é'.repeat(700_000)}\n€\n`;
    const lines = await collect(readRawTaskLines(tempFile(text)));
    expect(lines.map((line) => [line.line, line.raw.length, line.validUtf8])).toEqual([
      [1, 700_000, true],
      [2, 1, true],
    ]);
  });

  it('flag lines that are not valid UTF-8', async () => {
    const lines = await collect(readRawTaskLines(tempFile(Buffer.from([0x7b, 0xff, 0x7d, 0x0a]))));
    expect(lines[0]!.validUtf8).toBe(false);
  });
});

describe('readTaskFile', () => {
  it('yields every non-blank line with its line number and parse result', async () => {
    const good = JSON.stringify(validRow());
    const path = tempFile(`${good}\n\n{"broken"\n${good}`);
    const lines = await collect(readTaskFile(path));
    expect(lines.map((line) => [line.line, line.parsed.ok, line.terminated])).toEqual([
      [1, true, true],
      [3, false, true],
      [4, true, false],
    ]);
    expect(lines[2]!.raw).toBe(good);
  });
});
