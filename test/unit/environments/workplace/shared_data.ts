/** Paths to the fixtures and the bundled tables (read in place, never copied), and the tables loaded once per test file. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createWorkplaceEnvironment, loadWorkplaceTables, type WorkplaceEnvironment, type WorkplaceSession } from '../../../../src/core/environments/workplace';
import { parsePythonJson } from '../../../../src/core/python/json_parse';
import { isPyDict, type PyDict, type PyValue } from '../../../../src/core/python/value';
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

/** A tool call's arguments as the tool route reads them (Python's JSON values). */
export function toolArgs(args: Record<string, unknown>): PyDict {
  const value = parsePythonJson(JSON.stringify(args));
  if (!isPyDict(value)) throw new Error('not an object');
  return value;
}

/** A tool call through the route, awaited (a search may have gone to a worker thread). */
export async function callTool(env: WorkplaceEnvironment, session: WorkplaceSession, tool: string, args: Record<string, unknown>): Promise<PyValue> {
  return env.callToolRoute(session, tool, toolArgs(args));
}
