import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSanitizedPath, writeSanitizedCopy } from '../../../src/core/dataset/sanitize';
import { validateTaskFile } from '../../../src/core/dataset/validate_dataset';
import { jsonl, validRow, validTool, withParams } from './rows';

const temporaryDirectories: string[] = [];
function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'gym-sanitize-'));
  temporaryDirectories.push(directory);
  return directory;
}
afterAll(() => {
  for (const directory of temporaryDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function tempFile(content: string): string {
  const path = join(temporaryDirectory(), 'tasks.jsonl');
  writeFileSync(path, content);
  return path;
}

describe('writeSanitizedCopy', () => {
  const { type: _type, ...chatInner } = validTool('calendar_create_event');
  const brokenTools = [
    { ...validTool('email_send_email'), database: 'email', operation_type: 'write' },
    { type: 'function', function: chatInner },
    { type: 'function', name: 'no_strict', parameters: { type: 'object', properties: {} } },
  ];
  const untouched = JSON.stringify(validRow({ id: 1 }), null, 0).replace('"id":1', '"id":  1');
  const original = jsonl(withParams({ tools: brokenTools }, { id: 0 }), '', untouched, '{not json');

  it('writes a copy whose tools pass validation and leaves the original alone', async () => {
    const path = tempFile(original);
    const report = await writeSanitizedCopy(path);

    expect(readFileSync(path, 'utf8')).toBe(original);
    expect(report).toEqual({ outputPath: defaultSanitizedPath(path), rows: 3, rowsChanged: 1, blankLinesRemoved: 1, unparseableLines: [4] });
    expect(report.outputPath).toMatch(/tasks\.sanitized\.jsonl$/);

    const lines = readFileSync(report.outputPath, 'utf8').split('\n');
    const tools = JSON.parse(lines[0]!).responses_create_params.tools as Record<string, unknown>[];
    expect(tools.map((tool) => Object.keys(tool).sort())).toEqual([
      ['description', 'name', 'parameters', 'strict', 'type'],
      ['description', 'name', 'parameters', 'strict', 'type'],
      ['name', 'parameters', 'strict', 'type'],
    ]);
    expect(tools[1]!.name).toBe('calendar_create_event');
    expect(tools[2]!.strict).toBe(false);
    expect(lines[1]).toBe(untouched);

    const remaining = await validateTaskFile(report.outputPath);
    expect(remaining.map((diagnostic) => diagnostic.code)).toEqual(['invalid-json']);
  });

  it('refuses to overwrite the original', async () => {
    const path = tempFile(original);
    await expect(writeSanitizedCopy(path, path)).rejects.toThrow(/original/);
  });
});
