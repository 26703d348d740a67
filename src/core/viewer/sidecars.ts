import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FailureRecord } from '../schema/failure_record';
import { parseJsonLenient } from './json_text';
import type { AggregateMetricsSummary, FailureEntry, FailureList, FailureSummary } from './model';
import { isJsonObject } from '../json_object';

/** The files NeMo Gym (and our collector) writes next to a rollout file, named from its stem (§5.8, §9.3). */
export interface SidecarPaths {
  materializedInputs: string;
  failures: string;
  aggregateMetrics: string;
}

export function sidecarPaths(rolloutsPath: string): SidecarPaths {
  const name = basename(rolloutsPath);
  const stem = name.endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : name;
  const at = (suffix: string) => join(dirname(rolloutsPath), `${stem}${suffix}`);
  return {
    materializedInputs: at('_materialized_inputs.jsonl'),
    failures: at('_failures.jsonl'),
    aggregateMetrics: at('_aggregate_metrics.json'),
  };
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The sidecars are small (one line per failure / one entry per agent), so they are read whole. */
const SIDECAR_MAX_BYTES = 64 * 1024 * 1024;
const FAILURE_EXAMPLES = 200;

async function readSmallFile(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > SIDECAR_MAX_BYTES) return null;
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

export async function readFailureSummary(path: string): Promise<FailureSummary | null> {
  const text = await readSmallFile(path);
  if (text === null) return null;
  const examples: FailureSummary['examples'] = [];
  const tally = tallyFailures(text, (failure) => {
    if (examples.length >= FAILURE_EXAMPLES) return;
    examples.push({
      taskIndex: failure._ng_task_index,
      rolloutIndex: failure._ng_rollout_index,
      failureClass: failure._ng_failure_class,
      message: failure._ng_failure_message.length > 500 ? `${failure._ng_failure_message.slice(0, 499)}…` : failure._ng_failure_message,
    });
  });
  return tally && { path, ...tally, examples };
}

/**
 * Reads every line of a failures sidecar: counts by class (and how many terminal), unreadable lines, and hands each
 * readable failure with its 1-based line number to `visit`. Null when the file holds no line at all.
 */
function tallyFailures(text: string, visit: (failure: FailureLine, lineNumber: number) => void): { total: number; byClass: FailureSummary['byClass']; unreadable: number } | null {
  const byClass = new Map<string, { count: number; terminal: number }>();
  let total = 0;
  let unreadable = 0;
  let lineNumber = 0;
  for (const line of text.split('\n')) {
    lineNumber++;
    if (line.trim() === '') continue;
    const parsed = parseJsonLenient(line);
    const failure = parsed.ok ? asFailure(parsed.value) : null;
    if (!failure) {
      unreadable++;
      continue;
    }
    total++;
    const bucket = byClass.get(failure._ng_failure_class) ?? { count: 0, terminal: 0 };
    bucket.count++;
    if (failure._ng_failure_terminal) bucket.terminal++;
    byClass.set(failure._ng_failure_class, bucket);
    visit(failure, lineNumber);
  }
  if (total === 0 && unreadable === 0) return null;
  return { total, byClass: [...byClass.entries()].map(([failureClass, b]) => ({ failureClass, ...b })).sort((a, b) => b.count - a.count), unreadable };
}

interface FailureLine {
  _ng_task_index: number | null;
  _ng_rollout_index: number | null;
  _ng_attempt_index?: number | undefined;
  _ng_failure_class: string;
  _ng_failure_message: string;
  _ng_failure_terminal?: boolean | undefined;
  upstream_status?: number | undefined;
  agent_ref?: { name: string } | undefined;
  input_file?: string | undefined;
  input_line?: number | undefined;
  field?: string | undefined;
}

/** A failure record; collectors other than ours (or newer ones) may use other classes or omit fields. */
function asFailure(value: unknown): FailureLine | null {
  const strict = FailureRecord.safeParse(value);
  if (strict.success) return strict.data;
  if (!isJsonObject(value) || typeof value._ng_failure_class !== 'string') return null;
  const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null);
  const agent = isJsonObject(value.agent_ref) && typeof value.agent_ref.name === 'string' ? { name: value.agent_ref.name } : undefined;
  return {
    _ng_task_index: int(value._ng_task_index),
    _ng_rollout_index: int(value._ng_rollout_index),
    _ng_attempt_index: int(value._ng_attempt_index) ?? undefined,
    _ng_failure_class: value._ng_failure_class,
    _ng_failure_message: typeof value._ng_failure_message === 'string' ? value._ng_failure_message : '',
    _ng_failure_terminal: value._ng_failure_terminal === true,
    upstream_status: int(value.upstream_status) ?? undefined,
    agent_ref: agent,
    input_file: typeof value.input_file === 'string' ? value.input_file : undefined,
    input_line: int(value.input_line) ?? undefined,
    field: typeof value.field === 'string' ? value.field : undefined,
  };
}

const FAILURE_LIST_LIMIT = 5000;
const FAILURE_MESSAGE_MAX_CHARS = 4000;

/** Every failure of the sidecar (the first FAILURE_LIST_LIMIT), for the failures tab. */
export async function readFailureList(path: string): Promise<FailureList | null> {
  const text = await readSmallFile(path);
  if (text === null) return null;
  const entries: FailureEntry[] = [];
  const tally = tallyFailures(text, (failure, lineNumber) => {
    if (entries.length >= FAILURE_LIST_LIMIT) return;
    const message = failure._ng_failure_message;
    entries.push({
      lineNumber,
      taskIndex: failure._ng_task_index,
      rolloutIndex: failure._ng_rollout_index,
      attempts: failure._ng_attempt_index !== undefined ? failure._ng_attempt_index + 1 : null,
      failureClass: failure._ng_failure_class,
      message: message.length > FAILURE_MESSAGE_MAX_CHARS ? `${message.slice(0, FAILURE_MESSAGE_MAX_CHARS - 1)}…` : message,
      terminal: failure._ng_failure_terminal === true,
      upstreamStatus: failure.upstream_status ?? null,
      agent: failure.agent_ref?.name ?? null,
      input: failure.input_file !== undefined ? { file: failure.input_file, line: failure.input_line ?? null, field: failure.field ?? null } : null,
    });
  });
  return tally && { path, ...tally, entries, truncated: tally.total > entries.length };
}

/** `<stem>_aggregate_metrics.json`: an array of `{agent_ref, agent_metrics, key_metrics, ...}` (v0.3+). */
export async function readAggregateMetrics(path: string): Promise<AggregateMetricsSummary | null> {
  const text = await readSmallFile(path);
  if (text === null) return null;
  const parsed = parseJsonLenient(text);
  if (!parsed.ok) return null;
  const list = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  const agents: AggregateMetricsSummary['agents'] = [];
  for (const entry of list) {
    if (!isJsonObject(entry)) continue;
    const ref = isJsonObject(entry.agent_ref) ? entry.agent_ref : {};
    const agent = typeof ref.name === 'string' ? ref.name : '(agent)';
    const source = isJsonObject(entry.key_metrics) ? entry.key_metrics : isJsonObject(entry.agent_metrics) ? entry.agent_metrics : {};
    const keyMetrics = Object.entries(source)
      .filter((kv): kv is [string, number | string] => typeof kv[1] === 'number' || typeof kv[1] === 'string')
      .map(([name, value]) => ({ name, value }));
    agents.push({ agent, keyMetrics });
  }
  return agents.length ? { path, agents } : null;
}
