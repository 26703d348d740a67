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
import { summarizeLine } from '../../core/viewer/line_summary';

export interface RolloutResult {
  taskIndex: number;
  rolloutIndex: number;
  /** Null for a failed rollout. */
  reward: number | null;
  failureClass: string | null;
  /** Position among the output file's non-empty lines (the viewer's entry); null until known. */
  entry: number | null;
  /** Attempts it took, when known (more than 1: it was retried). */
  attempts?: number;
}

export interface TaskResults {
  taskIndex: number;
  taskId: string | null;
  category: string;
  /** The start of what the task asks (its first user message), when known. */
  title: string | null;
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
        {
          taskIndex: outcome.taskIndex,
          rolloutIndex: outcome.rolloutIndex,
          reward: outcome.reward,
          failureClass: outcome.reward === null ? (outcome.failureClass ?? 'unknown') : null,
          entry: null,
          ...(outcome.attempts !== undefined ? { attempts: outcome.attempts } : {}),
        },
        outcome.category,
        outcome.taskId === null ? null : String(outcome.taskId),
      );
    }
  }

  /** A task of the input, whether or not any rollout of it ended yet. */
  declareTask(taskIndex: number, category: string | null, taskId: string | null, title: string | null): void {
    const task = this.tasks.get(taskIndex) ?? { taskIndex, taskId, category: category ?? UNCATEGORIZED, title, rollouts: [] };
    if (task.category === UNCATEGORIZED && category !== null) task.category = category;
    task.taskId ??= taskId;
    task.title ??= title;
    this.tasks.set(taskIndex, task);
  }

  put(result: RolloutResult, category: string | null, taskId: string | null): void {
    const task = this.tasks.get(result.taskIndex) ?? { taskIndex: result.taskIndex, taskId, category: category ?? UNCATEGORIZED, title: null, rollouts: [] };
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
      previous.attempts = result.attempts ?? previous.attempts;
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
      results.put({ taskIndex, rolloutIndex, reward, failureClass: reward === null ? 'no_reward' : null, entry: current, ...attemptsOf(row) }, category, asTaskId(row.id));
    }
  }
  if (existsSync(paths.failures)) {
    for await (const line of readRawTaskLines(paths.failures, signal ? { signal } : {})) {
      const row = isBlankLine(line.raw) ? null : parseObject(line.raw);
      const taskIndex = asIndex(row?._ng_task_index);
      const rolloutIndex = asIndex(row?._ng_rollout_index);
      if (!row || taskIndex === null || rolloutIndex === null) continue;
      const failureClass = typeof row._ng_failure_class === 'string' ? row._ng_failure_class : 'unknown';
      results.put({ taskIndex, rolloutIndex, reward: null, failureClass, entry: null, ...attemptsOf(row) }, null, null);
      missingCategory.add(taskIndex);
    }
  }
  if (existsSync(paths.materializedInputs)) await declareInputTasks(results, paths.materializedInputs, signal);
  return results;
}

/**
 * Every task of the run, from `<stem>_materialized_inputs.jsonl` (one line per task and repeat): its category,
 * id and what it asks, so tasks without a rollout yet are listed too ("not run", not reward 0).
 */
async function declareInputTasks(results: RunResults, path: string, signal?: AbortSignal): Promise<void> {
  const seen = new Set<number>();
  for await (const line of readRawTaskLines(path, signal ? { signal } : {})) {
    if (isBlankLine(line.raw)) continue;
    const bytes = Buffer.from(line.raw, 'utf8');
    const summary = summarizeLine(bytes, 0, bytes.length);
    if (summary.broken !== null || summary.taskIndex < 0 || seen.has(summary.taskIndex)) continue;
    seen.add(summary.taskIndex);
    results.declareTask(summary.taskIndex, summary.category, summary.taskId, summary.title);
  }
}

/** `_ng_attempt_index` (0-based, NeMo Gym's) as an attempt count. */
function attemptsOf(row: JsonObject): { attempts?: number } {
  const index = asIndex(row._ng_attempt_index);
  return index === null ? {} : { attempts: index + 1 };
}

function parseObject(raw: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(raw);
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}
