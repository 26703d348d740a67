/**
 * Per-task results of a run, read back from its files (the output JSONL and the failures sidecar) and kept up
 * to date from progress events. Keyed by (task, rollout), so reading a file a running collection is appending
 * to and then applying progress events counts nothing twice. Editor-free.
 */
import { existsSync } from 'node:fs';
import type { RolloutOutcome } from '../../core/collect/api';
import { outputPaths } from '../../core/collect/output_paths';
import { isBlankLine, readRawTaskLines } from '../../core/dataset/task_lines';
import { isJsonObject, type JsonObject } from '../../core/json_object';

export interface RolloutResult {
  taskIndex: number;
  rolloutIndex: number;
  /** Null for a failed rollout. */
  reward: number | null;
  failureClass: string | null;
  /** Position among the output file's non-empty lines (the viewer's entry); null until known. */
  entry: number | null;
}

export interface TaskResults {
  taskIndex: number;
  taskId: string | null;
  category: string;
  rollouts: RolloutResult[];
}

export const UNCATEGORIZED = '(no category)';


function asIndex(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function asTaskId(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

export class RunResults {
  private readonly tasks = new Map<number, TaskResults>();
  private readonly rolloutKeys = new Map<string, RolloutResult>();

  /** Every task, ordered by task index. */
  allTasks(): TaskResults[] {
    return [...this.tasks.values()].sort((a, b) => a.taskIndex - b.taskIndex);
  }

  tasksInCategory(category: string): TaskResults[] {
    return this.allTasks().filter((task) => task.category === category);
  }

  categories(): string[] {
    return [...new Set(this.allTasks().map((task) => task.category))].sort();
  }

  get size(): number {
    return this.rolloutKeys.size;
  }

  /** Records what progress reported (the output entry stays unknown until the file is read). */
  applyOutcomes(outcomes: readonly RolloutOutcome[]): void {
    for (const outcome of outcomes) {
      this.put(
        { taskIndex: outcome.taskIndex, rolloutIndex: outcome.rolloutIndex, reward: outcome.reward, failureClass: outcome.reward === null ? (outcome.failureClass ?? 'unknown') : null, entry: null },
        outcome.category,
        outcome.taskId === null ? null : String(outcome.taskId),
      );
    }
  }

  put(result: RolloutResult, category: string | null, taskId: string | null): void {
    const task = this.tasks.get(result.taskIndex) ?? { taskIndex: result.taskIndex, taskId, category: category ?? UNCATEGORIZED, rollouts: [] };
    if (taskId !== null) task.taskId = taskId;
    if (category !== null) task.category = category;
    this.tasks.set(result.taskIndex, task);
    const key = `${result.taskIndex}:${result.rolloutIndex}`;
    const previous = this.rolloutKeys.get(key);
    // An output line wins over a failure of the same rollout (a retry on resume succeeded).
    if (previous && previous.reward !== null && result.reward === null) return;
    if (previous) {
      previous.reward = result.reward;
      previous.failureClass = result.failureClass;
      previous.entry = result.entry ?? previous.entry;
      return;
    }
    this.rolloutKeys.set(key, result);
    task.rollouts.push(result);
    task.rollouts.sort((a, b) => a.rolloutIndex - b.rolloutIndex);
  }
}

/** Reads a run's output and failures files. Missing files give empty results. */
export async function readRunResults(outputPath: string, signal?: AbortSignal): Promise<RunResults> {
  const results = new RunResults();
  const paths = outputPaths(outputPath);
  let entry = 0;
  const missingCategory = new Set<number>();
  if (existsSync(paths.output)) {
    for await (const line of readRawTaskLines(paths.output, signal ? { signal } : {})) {
      if (isBlankLine(line.raw)) continue;
      const row = parseObject(line.raw);
      const current = entry;
      entry += 1;
      const taskIndex = asIndex(row?._ng_task_index);
      const rolloutIndex = asIndex(row?._ng_rollout_index);
      if (!row || taskIndex === null || rolloutIndex === null) continue;
      const reward = typeof row.reward === 'number' ? row.reward : null;
      const category = typeof row.category === 'string' ? row.category : null;
      if (category === null) missingCategory.add(taskIndex);
      results.put({ taskIndex, rolloutIndex, reward, failureClass: reward === null ? 'no_reward' : null, entry: current }, category, asTaskId(row.id));
    }
  }
  if (existsSync(paths.failures)) {
    for await (const line of readRawTaskLines(paths.failures, signal ? { signal } : {})) {
      const row = isBlankLine(line.raw) ? null : parseObject(line.raw);
      const taskIndex = asIndex(row?._ng_task_index);
      const rolloutIndex = asIndex(row?._ng_rollout_index);
      if (!row || taskIndex === null || rolloutIndex === null) continue;
      const failureClass = typeof row._ng_failure_class === 'string' ? row._ng_failure_class : 'unknown';
      results.put({ taskIndex, rolloutIndex, reward: null, failureClass, entry: null }, null, null);
      missingCategory.add(taskIndex);
    }
  }
  if (missingCategory.size > 0 && existsSync(paths.materializedInputs)) await fillFromMaterializedInputs(results, paths.materializedInputs, signal);
  return results;
}

/** Categories and ids of tasks whose output lines do not carry them, from `<stem>_materialized_inputs.jsonl`. */
async function fillFromMaterializedInputs(results: RunResults, path: string, signal?: AbortSignal): Promise<void> {
  const tasks = new Map(results.allTasks().map((task) => [task.taskIndex, task]));
  for await (const line of readRawTaskLines(path, signal ? { signal } : {})) {
    const row = isBlankLine(line.raw) ? null : parseObject(line.raw);
    const task = tasks.get(asIndex(row?._ng_task_index) ?? -1);
    if (!row || !task) continue;
    if (task.category === UNCATEGORIZED && typeof row.category === 'string') task.category = row.category;
    task.taskId ??= asTaskId(row.id);
  }
}

function parseObject(raw: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(raw);
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}
