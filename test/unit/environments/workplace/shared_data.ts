/** Paths to the fixtures and the bundled tables (read in place, never copied), and the tables loaded once per test file. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createWorkplaceEnvironment, loadWorkplaceTables, type WorkplaceEnvironment } from '../../../../src/core/environments/workplace';
import { FIXTURES_DIR, WORKPLACE_CSV_DIR as csvDir } from '../../../support/paths';

export { readWorkbenchTasks } from '../../../support/paths';
export { csvDir };

/** A file under test/fixtures, e.g. `golden/tool_calls.jsonl`. */
export function fixturePath(relative: string): string {
  return resolve(FIXTURES_DIR, relative);
}

/** The records of JSON Lines text (blank lines ignored; a missing final newline is fine). */
export function parseJsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** The records of a JSON Lines file. */
export function readJsonLines<T>(path: string): T[] {
  return parseJsonLines<T>(readFileSync(path, 'utf8'));
}

let environment: Promise<WorkplaceEnvironment> | undefined;

export function workplaceEnvironment(): Promise<WorkplaceEnvironment> {
  environment ??= loadWorkplaceTables(csvDir).then(createWorkplaceEnvironment);
  return environment;
}
