import type { JsonObject } from '../json_object';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../logger';
import { DEFAULT_ROLLOUT_ATTEMPTS } from '../retry_policy';
import type { FailureRecord } from '../schema/failure_record';
import { HttpClient } from '../servers/http/http_client';
import type { CollectionHooks, CollectionOptions, CollectionProgress, CollectionStop, CollectionSummary, CollectionTarget, RolloutOutcome } from './api';
import { collectAggregateMetrics } from './aggregate';
import { dumpOrjson } from '../python/json_dump';
import { dispatchRollouts } from './dispatch';
import { PolicyEndpointReports } from './endpoint_reports';
import { DiscoveryError } from './head_discovery';
import { HeadPool } from './head_pool';
import { JsonlAppender, OutputWriteError } from './jsonl_appender';
import { rolloutKey, type MaterializedRow } from './materialize';
import { acquireOutputLock } from './output_lock';
import { categoryOf, checkCollectionFiles, CollectionSetupError, planCollection, type CollectionPlan } from './plan';
import { ProgressTracker } from './progress_tracker';
import { runRolloutWithRetries, type RolloutOutcomeResult } from './run_rollout';
import { assignMembers, type MemberAssignment } from './row_text';
import { projectTrajectory } from './trajectory_projection';
import { TRAJECTORY_FLOATS } from '../schema/float_shapes';
import type { TrajectoryRecord } from '../schema/trajectory_record';
import { typedJson } from '../python/typed_json';

export { CollectionSetupError } from './plan';

const PROGRESS_INTERVAL_MS = 200;
const ENDPOINT_REPORTS_INTERVAL_MS = 1000;

/**
 * `ng_collect_rollouts`: materialise the rows, send each (task, repeat) to its agent's `/run`, and write one
 * output line or one failure line per rollout — never both, never neither — then the aggregate metrics.
 * A failed rollout never stops the run; a failure that repeats for every rollout, a write error or a
 * cancellation stops it with the rest left for `+resume_from_cache=true`. One collection per output file.
 */
export async function collectRollouts(
  options: CollectionOptions,
  target: CollectionTarget,
  hooks: CollectionHooks,
  logger: Logger,
): Promise<CollectionSummary> {
  const notice = (message: string) => {
    logger.info(message);
    hooks.onNotice?.(message);
  };
  // A caller holding the lock already (ng_collect_rollouts) checked the files before taking it.
  if (!hooks.outputLock) checkCollectionFiles(options);
  const lock = hooks.outputLock ?? takeOutputLock(options.outputJsonlPath, hooks.command ?? 'ng_collect_rollouts', notice);
  try {
    const plan = await planCollection(options, notice, hooks.signal);
    return await runPlan(plan, options, target, hooks, logger);
  } finally {
    if (!hooks.outputLock) lock.release();
  }
}

/** Creates the output's folder and takes its lock: the first write, so an unwritable folder fails before anything starts. */
export function takeOutputLock(outputPath: string, command: string, notice?: (message: string) => void) {
  try {
    mkdirSync(dirname(outputPath), { recursive: true });
    return acquireOutputLock(outputPath, { command, ...(notice ? { onNotice: notice } : {}) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new CollectionSetupError(`Cannot write the output ${outputPath}: ${code} (${(error as Error).message}). Choose a writable folder.`);
  }
}

async function runPlan(plan: CollectionPlan, options: CollectionOptions, target: CollectionTarget, hooks: CollectionHooks, logger: Logger): Promise<CollectionSummary> {
  const tracker = new ProgressTracker(plan.total, plan.categoryTotals);
  for (const info of plan.resumed) tracker.recordResumed(info.category, info.reward);

  const client = new HttpClient({ inProcess: options.inProcessTransport !== false });
  try {
    return await collectWithClient(plan, options, target, hooks, logger, tracker, client);
  } finally {
    client.close();
  }
}

async function collectWithClient(
  plan: CollectionPlan,
  options: CollectionOptions,
  target: CollectionTarget,
  hooks: CollectionHooks,
  logger: Logger,
  tracker: ProgressTracker,
  client: HttpClient,
): Promise<CollectionSummary> {
  const redact = hooks.redact ?? ((text: string) => text);
  let hosts: HeadPool | null = null;
  let policyReports: PolicyEndpointReports | null = null;
  const snapshot = () => withEndpoints(tracker.snapshot(), hosts, policyReports);
  const progressTimer = setInterval(() => hooks.onProgress?.(snapshot()), PROGRESS_INTERVAL_MS);
  const reportsTimer = setInterval(() => void policyReports?.refresh(), ENDPOINT_REPORTS_INTERVAL_MS);
  let output: JsonlAppender | null = null;
  let failures: JsonlAppender | null = null;
  let stop: CollectionStop | null;
  try {
    output = openAppender(plan.paths.output);
    failures = openAppender(plan.paths.failures);
    for (const failure of plan.invalidFailures) {
      failures.append(JSON.stringify(failure));
      tracker.record({ taskIndex: failure._ng_task_index, rolloutIndex: failure._ng_rollout_index, category: null, taskId: null, reward: null, failureClass: 'invalid_row', failureMessage: failure._ng_failure_message });
    }
    if (plan.pending.length > 0) {
      hosts = await HeadPool.open(headUrlsOf(target), new Set(plan.pending.map((row) => row.agent_ref.name)), client, (label, healthy, reason) => {
        const message = healthy ? `Environment host ${label} is back (${reason}).` : `Environment host ${label} taken out: ${reason}; its rollouts are retried on the others.`;
        if (healthy) logger.info(message);
        else logger.warn(message);
      }).catch((error: unknown) => {
        throw withRowsNamingAgent(error, plan.pending, options.inputJsonlPath);
      });
      policyReports = new PolicyEndpointReports(hosts.modelServers, client);
      void policyReports.refresh();
    }
    const pool = hosts;
    const outputFile = output;
    const failuresFile = failures;
    const startedAt = new Map<MaterializedRow, number>();
    const dispatched = await dispatchRollouts({
      rows: plan.pending,
      parallel: options.numSamplesInParallel ?? plan.pending.length,
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      run: (row, signal) => {
        startedAt.set(row, performance.now());
        const key = rolloutKey(row._ng_task_index, row._ng_rollout_index);
        return runRolloutWithRetries(row, {
          client,
          agentUrl: pool!.agentUrl(row.agent_ref.name),
          ...(pool!.size > 1 ? { chooseAgent: pool!.chooser(key, row.agent_ref.name) } : {}),
          maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULT_ROLLOUT_ATTEMPTS),
          timeoutMs: options.rolloutTimeoutMs ?? null,
          priorAttempts: plan.priorAttempts.get(rolloutKey(row._ng_task_index, row._ng_rollout_index)) ?? 0,
          signal,
          onRetry: (attempt, failure) =>
            logger.warn(`Rollout ${rolloutKey(row._ng_task_index, row._ng_rollout_index)} attempt ${attempt} failed (${failure.failureClass}): ${redact(failure.message).slice(0, 300)}; retrying`),
        });
      },
      record: (row, outcome) => {
        const durationMs = performance.now() - (startedAt.get(row) ?? performance.now());
        startedAt.delete(row);
        if (outcome.ok) {
          const sent = outcome.attemptIndex > 0 ? { ...row, _ng_attempt_index: outcome.attemptIndex } : row;
          const line = rolloutLine(outcome.bodyText, outcome.result, sent);
          outputFile.append(line);
          plan.persisted.addLine(line);
          tracker.record(outcomeOf(row, typeof outcome.result.reward === 'number' ? outcome.result.reward : 0, durationMs, outcome.attempts));
        } else {
          const message = redact(outcome.message);
          failuresFile.append(JSON.stringify(failureRecord(row, outcome, message)));
          tracker.record(outcomeOf(row, null, durationMs, outcome.attempts, outcome.failureClass, message));
        }
      },
    });
    stop = dispatched.stop;
  } catch (error) {
    if (!(error instanceof OutputWriteError)) throw error;
    stop = { kind: 'write_error', path: error.path, message: error.message };
  } finally {
    clearInterval(progressTimer);
    clearInterval(reportsTimer);
    output?.close();
    failures?.close();
    hosts?.close();
  }
  await policyReports?.refresh();

  let aggregateMetricsWritten = false;
  if (stop === null && !options.disableAggregation) {
    try {
      const metricsTarget = hosts && hosts.size > 1 ? { headServerUrl: hosts.healthyHeadUrl() } : target;
      const metrics = await collectAggregateMetrics(plan.persisted, metricsTarget, client, logger);
      if (metrics !== null) {
        await writeFile(plan.paths.aggregateMetrics, dumpOrjson(metrics, { indent2: true }));
        aggregateMetricsWritten = true;
      }
    } catch (error) {
      logger.warn(`Could not write ${plan.paths.aggregateMetrics}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const progress = snapshot();
  hooks.onProgress?.(progress);
  return {
    ...progress,
    outputJsonlPath: plan.paths.output,
    materializedInputsPath: plan.paths.materializedInputs,
    aggregateMetricsPath: plan.paths.aggregateMetrics,
    failuresPath: plan.paths.failures,
    notAttempted: progress.total - progress.done - progress.failed,
    stop,
    cancelled: stop?.kind === 'cancelled',
    aggregateMetricsWritten,
  };
}

/** "No agent named X is running" says which tasks of the input name X, so the row or the deployment can be fixed. */
function withRowsNamingAgent(error: unknown, rows: readonly MaterializedRow[], inputPath: string): unknown {
  const missing = error instanceof DiscoveryError ? error.missingAgent : null;
  if (missing === null) return error;
  const tasks = [...new Set(rows.filter((row) => row.agent_ref.name === missing).map((row) => row._ng_task_index))];
  const shown = tasks.slice(0, 5).join(', ') + (tasks.length > 5 ? `, ... (${tasks.length} in all)` : '');
  (error as DiscoveryError).message += ` ${tasks.length === 1 ? 'Task' : 'Tasks'} ${shown} of ${inputPath} ${tasks.length === 1 ? 'names' : 'name'} it (agent_ref.name, or +agent_name for rows without one).`;
  return error;
}

function openAppender(path: string): JsonlAppender {
  try {
    return new JsonlAppender(path);
  } catch (error) {
    if (error instanceof OutputWriteError) throw new CollectionSetupError(error.message);
    throw error;
  }
}

function outcomeOf(row: MaterializedRow, reward: number | null, durationMs: number, attempts: number, failureClass?: string, failureMessage?: string): RolloutOutcome {
  return {
    attempts,
    taskIndex: row._ng_task_index,
    rolloutIndex: row._ng_rollout_index,
    category: categoryOf(row),
    taskId: typeof row.id === 'string' || typeof row.id === 'number' ? row.id : null,
    reward,
    durationMs,
    ...(failureClass ? { failureClass } : {}),
    ...(failureMessage ? { failureMessage } : {}),
  };
}

function failureRecord(row: MaterializedRow, outcome: Extract<RolloutOutcomeResult, { ok: false }>, message: string): FailureRecord {
  const category = categoryOf(row);
  return {
    _ng_task_index: row._ng_task_index,
    _ng_rollout_index: row._ng_rollout_index,
    _ng_attempt_index: outcome.attemptIndex,
    agent_ref: row.agent_ref,
    _ng_failure_class: outcome.failureClass,
    _ng_failure_message: message,
    _ng_failure_terminal: !outcome.resumable,
    ...(outcome.upstreamStatus !== undefined ? { upstream_status: outcome.upstreamStatus } : {}),
    ...(category !== null ? { category } : {}),
    ...(row.id !== undefined ? { id: row.id } : {}),
  };
}

/** What NeMo Gym's collector copies from the row onto the result, in its order. */
function stampsOf(row: JsonObject): JsonObject {
  const stamps: JsonObject = { _ng_task_index: row._ng_task_index, _ng_rollout_index: row._ng_rollout_index, agent_ref: row.agent_ref };
  if (row._ng_attempt_index !== undefined) stamps._ng_attempt_index = row._ng_attempt_index;
  if (row._ng_rollout_id !== undefined) stamps._ng_rollout_id = row._ng_rollout_id;
  return stamps;
}

/**
 * The output line: the agent's answer as it was written (its floats are Python's), the row's stamps assigned, then
 * `ng_trajectory` (see trajectory_projection.ts), each replacing an existing member in place as a Python dict would.
 */
function rolloutLine(bodyText: string, result: JsonObject, row: JsonObject): string {
  const stamps = stampsOf(row);
  const trajectory = trajectoryOf(row, result);
  const assignments: MemberAssignment[] = [...Object.entries(stamps).map(([key, value]): MemberAssignment => [key, JSON.stringify(value)]), ['ng_trajectory', typedJson(trajectory, TRAJECTORY_FLOATS)]];
  return assignMembers(bodyText, assignments) ?? JSON.stringify({ ...result, ...stamps, ng_trajectory: trajectory });
}

function trajectoryOf(row: JsonObject, result: JsonObject): TrajectoryRecord {
  try {
    return projectTrajectory(row, result);
  } catch (error) {
    // A malformed `_ng_rollout_id`: NeMo Gym's collector keeps the rollout and says the projection failed.
    const name = error instanceof Error ? error.name : 'Error';
    return { schema_version: '1.0', task_id: String(row._ng_task_index), rollout_id: `${String(row._ng_task_index)}-${String(row._ng_rollout_index)}`, invocations: [], turns: [], model_calls: [], tool_calls: [], gaps: [{ code: 'trajectory_projection_failed', invocation_id: null, detail: name }] };
  }
}

function headUrlsOf(target: CollectionTarget): string[] {
  return target.headServerUrls && target.headServerUrls.length > 0 ? target.headServerUrls : [target.headServerUrl];
}

/** The progress with the per-endpoint figures, when there are several policy endpoints or environment hosts. */
function withEndpoints(progress: CollectionProgress, hosts: HeadPool | null, policy: PolicyEndpointReports | null): CollectionProgress {
  const endpoints = [...(policy?.reports() ?? []), ...(hosts && hosts.size > 1 ? hosts.reports() : [])];
  return endpoints.length > 0 ? { ...progress, endpoints } : progress;
}
