import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger';
import { generateTrainingTasks, type GenerateTasksUi } from '../../../src/extension/dataset/generate_tasks_flow';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

/** A fake editor: answers the prompts in order and records what the flow showed. */
function fakeUi(answers: Array<string | undefined>, outputPath: string | undefined) {
  const shown = { prompts: [] as string[], validations: [] as Array<string | null>, opened: [] as string[], info: [] as string[], errors: [] as string[], progress: [] as string[] };
  const ui: GenerateTasksUi = {
    ask: async (prompt, _value, validate) => {
      shown.prompts.push(prompt);
      const answer = answers.shift();
      if (answer !== undefined) shown.validations.push(validate(answer), validate('-3'), validate('many'));
      return answer;
    },
    askOutputPath: async () => outputPath,
    withProgress: async (title, work) => {
      shown.progress.push(title);
      return work();
    },
    openFile: async (path) => void shown.opened.push(path),
    info: (message) => void shown.info.push(message),
    error: (message) => void shown.errors.push(message),
  };
  return { ui, shown };
}

describe('Generate Training Tasks (editor flow)', () => {
  it('asks for count, seed and output, writes the tasks and the report, and opens the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-gen-ui-'));
    const output = join(dir, 'tasks.jsonl');
    const { ui, shown } = fakeUi(['25', '4'], output);
    const outcome = await generateTrainingTasks({ ui, logger: silentLogger, folder: dir, configuredDataDirectory: WORKPLACE_CSV_DIR });
    expect(shown.prompts).toEqual(['How many tasks?', 'Seed (the same seed gives the same tasks)']);
    expect(shown.validations).toEqual([null, 'Enter a whole number from 1 to 100000.', 'Enter a whole number from 1 to 100000.', null, 'Enter a whole number from 0 to 2147483647.', 'Enter a whole number from 0 to 2147483647.']);
    expect(shown.progress).toEqual(['Generating 25 tasks…']);
    expect(outcome?.report.kept).toBe(25);
    expect(readFileSync(output, 'utf8').trimEnd().split('\n')).toHaveLength(25);
    expect(shown.opened).toEqual([join(dir, 'tasks_report.json')]);
    expect(JSON.parse(readFileSync(join(dir, 'tasks_report.json'), 'utf8'))).toMatchObject({ seed: 4, kept: 25 });
    expect(shown.info[0]).toMatch(/^Wrote 25 tasks \(acceptance \d+\.\d%\) to /);
    expect(shown.errors).toEqual([]);
  });

  it('writes nothing when the user cancels, and reports a failure instead of throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-gen-ui-'));
    const cancelled = fakeUi(['10', undefined], join(dir, 'never.jsonl'));
    expect(await generateTrainingTasks({ ui: cancelled.ui, logger: silentLogger, folder: dir, configuredDataDirectory: WORKPLACE_CSV_DIR })).toBeUndefined();
    expect(existsSync(join(dir, 'never.jsonl'))).toBe(false);
    const broken = fakeUi(['10', '1'], join(dir, 'x.jsonl'));
    expect(await generateTrainingTasks({ ui: broken.ui, logger: silentLogger, folder: dir, configuredDataDirectory: join(dir, 'no-such-dir') })).toBeUndefined();
    expect(broken.shown.errors[0]).toMatch(/^Generating tasks failed: /);
    expect(existsSync(join(dir, 'x.jsonl'))).toBe(false);
  });
});
