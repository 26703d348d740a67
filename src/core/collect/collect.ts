import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { Logger } from '../logger';
import type { FailureRecord } from '../schema/failure_record';
import { normalizeCreateParamOverrides, validateResponsesCreateParams } from '../schema/responses';
import { HttpClient } from '../servers/http/http_client';
import type { CollectionHooks, CollectionOptions, CollectionSummary, CollectionTarget, RolloutOutcome } from './api';
import { collectAggregateMetrics, PersistedResults } from './aggregate';
import { discoverServers, fetchGlobalConfig, findAgent } from './head_discovery';
import { InputFileError, loadInputRows, type LoadedInputRow } from './input_rows';
import { JsonlAppender } from './jsonl_appender';
import { materializeRows, rolloutKey, type InputRow, type MaterializedRow } from './materialize';
import { outputPaths } from './output_paths';
import { ProgressTracker } from './progress_tracker';
import { readJsonlObjects } from './read_jsonl';
import { RolloutCancelled, runRolloutWithRetries } from './run_rollout';

type JsonObject = Record<string, unknown>;

const PROGRESS_INTERVAL_MS = 200;
const STAMP_KEYS = ['_ng_task_index', '_ng_rollout_index', 'agent_ref'];

export class CollectionSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CollectionSetupError';
  }
}

/**
 * `ng_collect_rollouts`: materialise the rows, send each (task, repeat) to its agent's `/run`, and write one
 * output line or one failure line per rollout — never both, never neither — then the aggregate metrics.
 * A failed rollout never stops the run; resuming collects exactly what is missing.
 */
export async function collectRollouts(
  options: CollectionOptions,
  target: CollectionTarget,
  hooks: CollectionHooks,
  logger: Logger,
): Promise<CollectionSummary> {
  const redact = hooks.redact ?? ((text: string) => text);
  const notice = (message: string) => {
    logger.info(message);
    hooks.onNotice?.(message);
  };
  const paths = outputPaths(options.outputJsonlPath);
  if (!existsSync(options.inputJsonlPath)) throw new CollectionSetupError(`The input file ${options.inputJsonlPath} does not exist.`);

  const { params: overrides, notices } = normalizeCreateParamOverrides(options.responsesCreateParams ?? {});
  notices.forEach(notice);

  const loaded = await loadInputRows(options.inputJsonlPath, {
    limit: options.limit ?? null,
    sanitizeToolSchemas: options.sanitizeToolSchemas ?? false,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
  });
  const invalid = loaded.filter((row) => row.error !== null);
  if (invalid.length > 0 && !options.skipInvalidRows) throw new InputFileError(invalid.map((row) => row.error!), options.inputJsonlPath);

  const numRepeats = Math.max(1, options.numRepeats ?? 1);
  const taskIndexOf = assignTaskIndices(loaded);
  const validRows: InputRow[] = loaded
    .filter((row) => row.row !== null)
    .map((row) => ({ line: row.line, raw: row.raw, row: row.row!, taskIndex: taskIndexOf.get(row)! }));
  const fresh = materializeRows(validRows, {
    ...(options.agentName ? { agentName: options.agentName } : {}),
    numRepeats,
    responsesCreateParams: overrides,
    addSeed: options.numRepeatsAddSeed ?? false,
  });
  checkMergedParams(fresh, options.inputJsonlPath, validRows);

  const invalidFailures: FailureRecord[] = invalid.flatMap((row) =>
    Array.from({ length: numRepeats }, (_, repeat) => ({
      _ng_task_index: taskIndexOf.get(row)!,
      _ng_rollout_index: repeat,
      ...(options.agentName ? { agent_ref: { name: options.agentName } } : {}),
      _ng_failure_class: 'invalid_row' as const,
      _ng_failure_message: row.error!.message,
      _ng_failure_terminal: true,
      input_file: options.inputJsonlPath,
      input_line: row.line,
      ...(row.error!.field ? { field: row.error!.field } : {}),
    })),
  );

  // Resume (NEMO_GYM_PROTOCOL.md §5.5), or start clean.
  let rows: MaterializedRow[] = fresh;
  const persisted = new PersistedResults();
  const accounted = new Map<string, { category: string | null; reward: number | null }>();
  const resuming = options.resumeFromCache === true && existsSync(paths.materializedInputs) && existsSync(paths.output);
  if (options.resumeFromCache && !resuming) notice('Nothing to resume from (no earlier output and materialized inputs); starting a fresh run.');
  if (resuming) {
    rows = await readMaterializedRows(paths.materializedInputs);
    if (!sameRows(rows, fresh)) {
      notice(`The input or the options changed since ${paths.materializedInputs} was written; resuming with the rows in that file.`);
    }
    for await (const record of readJsonlObjects(paths.output)) {
      const key = keyOf(record);
      if (key) accounted.set(key, { category: stringOrNull(record.category), reward: typeof record.reward === 'number' ? record.reward : 0 });
      persisted.add(record);
    }
    const keptFailures = await keepTerminalFailures(paths.failures, accounted);
    for (const failure of keptFailures) accounted.set(rolloutKey(failure._ng_task_index, failure._ng_rollout_index), { category: stringOrNull(failure.category), reward: null });
  } else {
    await Promise.all([paths.output, paths.failures, paths.aggregateMetrics].map((path) => rm(path, { force: true })));
    await writeFile(paths.materializedInputs, rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length > 0 ? '\n' : ''));
  }

  const categoryTotals = new Map<string, number>();
  for (const row of rows) categoryTotals.set(categoryOf(row) ?? '', (categoryTotals.get(categoryOf(row) ?? '') ?? 0) + 1);
  const total = rows.length + invalidFailures.length;
  const tracker = new ProgressTracker(total, categoryTotals);
  const rowByKey = new Map(rows.map((row) => [rolloutKey(row._ng_task_index, row._ng_rollout_index), row]));
  for (const [key, info] of accounted) if (rowByKey.has(key)) tracker.recordResumed(info.category, info.reward);

  const output = new JsonlAppender(paths.output);
  const failures = new JsonlAppender(paths.failures);
  const client = new HttpClient({ inProcess: true });
  let cancelled: boolean;
  const progressTimer = setInterval(() => hooks.onProgress?.(tracker.snapshot()), PROGRESS_INTERVAL_MS);
  try {
    for (const failure of invalidFailures) {
      const key = rolloutKey(failure._ng_task_index, failure._ng_rollout_index);
      if (accounted.has(key)) continue;
      failures.append(JSON.stringify(failure));
      tracker.record({ taskIndex: failure._ng_task_index, rolloutIndex: failure._ng_rollout_index, category: null, taskId: null, reward: null, failureClass: 'invalid_row', failureMessage: failure._ng_failure_message });
    }
    const pending = rows.filter((row) => !accounted.has(rolloutKey(row._ng_task_index, row._ng_rollout_index)));
    if (resuming) notice(`Resuming: ${rows.length} rollouts in all, ${rows.length - pending.length} already accounted for, ${pending.length} to collect.`);
    const agentUrls = pending.length > 0 ? await resolveAgentUrls(pending, target, client) : new Map<string, string>();

    const outcomeOf = (row: MaterializedRow, reward: number | null, durationMs: number, failureClass?: string, failureMessage?: string): RolloutOutcome => ({
      taskIndex: row._ng_task_index,
      rolloutIndex: row._ng_rollout_index,
      category: categoryOf(row),
      taskId: typeof row.id === 'string' || typeof row.id === 'number' ? row.id : null,
      reward,
      durationMs,
      ...(failureClass ? { failureClass } : {}),
      ...(failureMessage ? { failureMessage } : {}),
    });

    const runOne = async (row: MaterializedRow) => {
      const startedAt = performance.now();
      const outcome = await runRolloutWithRetries(row, {
        client,
        agentUrl: agentUrls.get(row.agent_ref.name)!,
        maxAttempts: Math.max(1, options.maxAttempts ?? 3),
        timeoutMs: options.rolloutTimeoutMs ?? null,
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        onRetry: (attempt, failure) =>
          logger.warn(`Rollout ${rolloutKey(row._ng_task_index, row._ng_rollout_index)} attempt ${attempt} failed (${failure.failureClass}): ${redact(failure.message).slice(0, 300)}; retrying`),
      });
      if (outcome.ok) {
        output.append(stampedLine(outcome.bodyText, outcome.result, row));
        persisted.add({ ...outcome.result, _ng_task_index: row._ng_task_index, _ng_rollout_index: row._ng_rollout_index, agent_ref: row.agent_ref });
        tracker.record(outcomeOf(row, typeof outcome.result.reward === 'number' ? outcome.result.reward : 0, performance.now() - startedAt));
      } else {
        const message = redact(outcome.message);
        const failure: FailureRecord = {
          _ng_task_index: row._ng_task_index,
          _ng_rollout_index: row._ng_rollout_index,
          _ng_attempt_index: outcome.attempts - 1,
          agent_ref: row.agent_ref,
          _ng_failure_class: outcome.failureClass,
          _ng_failure_message: message,
          _ng_failure_terminal: outcome.terminal,
          ...(categoryOf(row) !== null ? { category: categoryOf(row) } : {}),
          ...(row.id !== undefined ? { id: row.id } : {}),
        };
        failures.append(JSON.stringify(failure));
        tracker.record(outcomeOf(row, null, performance.now() - startedAt, outcome.failureClass, message));
      }
    };

    const parallel = Math.max(1, Math.min(options.numSamplesInParallel ?? pending.length, pending.length));
    let next = 0;
    const worker = async () => {
      while (next < pending.length && !hooks.signal?.aborted) {
        const row = pending[next++]!;
        try {
          await runOne(row);
        } catch (error) {
          if (error instanceof RolloutCancelled || hooks.signal?.aborted) return;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    cancelled = hooks.signal?.aborted ?? false;
  } finally {
    clearInterval(progressTimer);
    output.close();
    failures.close();
  }

  if (!cancelled && !options.disableAggregation) {
    try {
      const metrics = await collectAggregateMetrics(persisted, target, client, logger);
      await writeFile(paths.aggregateMetrics, JSON.stringify(metrics, null, 2) + '\n');
    } catch (error) {
      logger.warn(`Could not write ${paths.aggregateMetrics}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  client.close();
  const progress = tracker.snapshot();
  hooks.onProgress?.(progress);
  return {
    ...progress,
    outputJsonlPath: paths.output,
    materializedInputsPath: paths.materializedInputs,
    aggregateMetricsPath: paths.aggregateMetrics,
    failuresPath: paths.failures,
    cancelled,
  };
}

/** Task index = index of the distinct raw line, in order of first appearance (invalid rows count too). */
function assignTaskIndices(rows: LoadedInputRow[]): Map<LoadedInputRow, number> {
  const byRaw = new Map<string, number>();
  const indices = new Map<LoadedInputRow, number>();
  for (const row of rows) {
    let index = byRaw.get(row.raw);
    if (index === undefined) byRaw.set(row.raw, (index = byRaw.size));
    indices.set(row, index);
  }
  return indices;
}

/** The overrides can make valid rows invalid (e.g. an unknown key): say so before any model call. */
function checkMergedParams(rows: MaterializedRow[], file: string, inputs: InputRow[]): void {
  const seen = new Set<number>();
  for (const row of rows) {
    if (seen.has(row._ng_task_index)) continue;
    seen.add(row._ng_task_index);
    const check = validateResponsesCreateParams(row.responses_create_params);
    if (!check.ok) {
      const first = check.detail[0]!;
      const line = inputs.find((input) => input.taskIndex === row._ng_task_index)?.line ?? 0;
      const field = first.loc.filter((part) => part !== 'body').join('.');
      throw new CollectionSetupError(
        `${file}:${line}: responses_create_params.${field}: ${first.msg} (after applying +responses_create_params overrides; NeMo Gym's model server would answer HTTP 422).`,
      );
    }
  }
}

function stampedLine(bodyText: string, result: JsonObject, row: MaterializedRow): string {
  const stamps = `"_ng_task_index":${row._ng_task_index},"_ng_rollout_index":${row._ng_rollout_index},"agent_ref":${JSON.stringify(row.agent_ref)}`;
  const trimmed = bodyText.trim();
  if (!trimmed.includes('\n') && trimmed.endsWith('}') && !STAMP_KEYS.some((key) => key in result)) {
    return trimmed === '{}' ? `{${stamps}}` : `${trimmed.slice(0, -1)},${stamps}}`;
  }
  return JSON.stringify({ ...result, _ng_task_index: row._ng_task_index, _ng_rollout_index: row._ng_rollout_index, agent_ref: row.agent_ref });
}

async function resolveAgentUrls(rows: MaterializedRow[], target: CollectionTarget, client: HttpClient): Promise<Map<string, string>> {
  const config = await fetchGlobalConfig(target.headServerUrl, client);
  const servers = discoverServers(config);
  const urls = new Map<string, string>();
  for (const name of new Set(rows.map((row) => row.agent_ref.name))) urls.set(name, findAgent(servers, name).url);
  return urls;
}

async function readMaterializedRows(path: string): Promise<MaterializedRow[]> {
  const rows: MaterializedRow[] = [];
  for await (const record of readJsonlObjects(path)) rows.push(record as MaterializedRow);
  return rows;
}

function sameRows(a: MaterializedRow[], b: MaterializedRow[]): boolean {
  return a.length === b.length && a.every((row, i) => JSON.stringify(row) === JSON.stringify(b[i]));
}

/**
 * Failures are retried on resume unless terminal; the sidecar is rewritten without the ones being retried,
 * so a rollout never ends up both in the output and in the failures.
 */
async function keepTerminalFailures(path: string, accounted: Map<string, unknown>): Promise<FailureRecord[]> {
  if (!existsSync(path)) return [];
  const kept: FailureRecord[] = [];
  for await (const record of readJsonlObjects(path)) {
    const failure = record as FailureRecord;
    const key = keyOf(record);
    if (key && failure._ng_failure_terminal === true && !accounted.has(key)) kept.push(failure);
  }
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, kept.map((failure) => JSON.stringify(failure) + '\n').join(''));
  await rename(temporary, path);
  return kept;
}

function keyOf(record: JsonObject): string | null {
  return typeof record._ng_task_index === 'number' && typeof record._ng_rollout_index === 'number'
    ? rolloutKey(record._ng_task_index, record._ng_rollout_index)
    : null;
}

function categoryOf(row: JsonObject): string | null {
  return typeof row.category === 'string' ? row.category : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

