/** Paths to ../shared (read in place, never copied) and the tables loaded once per test file. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createWorkplaceEnvironment, loadWorkplaceTables, type WorkplaceEnvironment } from '../../../src/core/environments/workplace';

export { REPO_ROOT as repoRoot, SHARED_DIR as sharedDir, WORKPLACE_DATA_DIR as workplaceDataDir, WORKPLACE_CSV_DIR as csvDir } from '../../support/paths';
import { SHARED_DIR as sharedDir, WORKPLACE_CSV_DIR as csvDir } from '../../support/paths';

export function sharedPath(relative: string): string {
  return resolve(sharedDir, relative);
}

/** The records of a JSON Lines file (blank lines ignored; a missing final newline is fine). */
export function readJsonLines<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

let environment: Promise<WorkplaceEnvironment> | undefined;

export function workplaceEnvironment(): Promise<WorkplaceEnvironment> {
  environment ??= loadWorkplaceTables(csvDir).then(createWorkplaceEnvironment);
  return environment;
}
