import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * The repository root: two folders above this file, or the working folder when this file runs inside a bundled
 * benchmark (scripts/run-bench.mjs bundles into a temporary folder and runs from the repository root).
 */
export const REPO_ROOT = existsSync(resolve(__dirname, '../../package.json')) ? resolve(__dirname, '../..') : process.cwd();

/** The workplace tables the product ships (NeMo Gym's, Apache-2.0); the tests use them as they are. */
export const WORKPLACE_CSV_DIR = resolve(REPO_ROOT, 'data/workplace_assistant');

/** What the tests carry (test/fixtures/README.md says where each file comes from, and its licence). */
export const FIXTURES_DIR = resolve(REPO_ROOT, 'test/fixtures');
/** NeMo Gym's example rows, recorded rollouts and their tasks, and the tool schemas. */
export const WORKPLACE_DATA_DIR = resolve(FIXTURES_DIR, 'workplace_assistant');
/** The exact outputs of NeMo Gym's Python code: tool-call sessions and verification cases. */
export const GOLDEN_DIR = resolve(FIXTURES_DIR, 'golden');
/** The 690 WorkBench tasks as NeMo Gym input rows, gzip-compressed. */
export const WORKBENCH_TASKS_GZ = resolve(FIXTURES_DIR, 'workbench/tasks.jsonl.gz');

/** The WorkBench tasks as JSON Lines text. */
export function readWorkbenchTasks(): string {
  return gunzipSync(readFileSync(WORKBENCH_TASKS_GZ)).toString('utf8');
}

/** Rollout files NeMo Gym wrote with the metrics and reward profiles its Python code computed from them. */
export const NEMO_GYM_METRICS_DIR = resolve(FIXTURES_DIR, 'nemo_gym_metrics');

/** A file of NEMO_GYM_METRICS_DIR as text (`.gz` files are decompressed). */
export function readNemoGymMetricsFile(name: string): string {
  const path = resolve(NEMO_GYM_METRICS_DIR, name);
  return name.endsWith('.gz') ? gunzipSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8');
}
