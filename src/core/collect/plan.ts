import type { JsonObject } from '../json_object';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FailureRecord } from '../schema/failure_record';
import { pyStrRepr } from '../python/repr';
import { normalizeCreateParamOverrides, validateResponsesCreateParams } from '../schema/responses';
import { PersistedResults } from './aggregate';
import type { CollectionOptions } from './api';
import { InputFileError, loadInputRows, type LoadedInputRow } from './input_rows';
import { materializeRows, repeatsFor, rolloutKey, unusedRepeatAgents, type InputRow, type MaterializedRow, type NumRepeats } from './materialize';
import { outputPaths, type OutputPaths } from './output_paths';
import { readJsonlObjects, readJsonlRecords } from './read_jsonl';
import { inputDigest, inShard, readShardManifest, shardManifest, shardSelection, ShardSelectionError, writeShardManifest, type ShardSelection } from './shard_spec';

export class CollectionSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CollectionSetupError';
  }
}

/** A rollout already accounted for by an earlier run: its category and reward (null for a kept failure). */
export interface AccountedRollout {
  category: string | null;
  reward: number | null;
}

/** What a collection will do: every (task, repeat), and which of them an earlier run already accounted for. */
export interface CollectionPlan {
  paths: OutputPaths;
  rows: MaterializedRow[];
  /** Rows still to collect, in order. */
  pending: MaterializedRow[];
  /** Failure lines for invalid rows (with `+skip_invalid_rows`) not written yet. */
  invalidFailures: FailureRecord[];
  /** Keys of rows or invalid rows an earlier run accounted for. */
  accounted: Map<string, AccountedRollout>;
  /** What an earlier run accounted for that belongs to this run (its rows, and its invalid rows' failures). */
  resumed: AccountedRollout[];
  /** The rollouts already in the output file, for the aggregate metrics. */
  persisted: PersistedResults;
  /** Attempts earlier runs made at rollouts being retried (from their failure lines): the next `_ng_attempt_index`. */
  priorAttempts: Map<string, number>;
  resuming: boolean;
  /** The shard of the run this collection covers; null for the whole run. */
  shard: ShardSelection | null;
  /** Rows plus invalid-row failures. */
  total: number;
  categoryTotals: Map<string, number>;
}

/**
 * Reads and checks the input, materialises the rows (NeMo Gym's layout), and sets up the output files: a fresh
 * run starts them empty, a resume (NEMO_GYM_PROTOCOL.md §5.5) reads what is already accounted for. Runs under the
 * output lock, after checkCollectionFiles.
 */
export async function planCollection(options: CollectionOptions, notice: (message: string) => void, signal?: AbortSignal): Promise<CollectionPlan> {
  const paths = outputPaths(options.outputJsonlPath);
  const shard = selectShard(options);

  const { params: overrides, notices } = normalizeCreateParamOverrides(options.responsesCreateParams ?? {});
  notices.forEach(notice);

  const loaded = await loadInputRows(options.inputJsonlPath, {
    limit: options.limit ?? null,
    sanitizeToolSchemas: options.sanitizeToolSchemas ?? false,
    onNotice: notice,
    ...(signal ? { signal } : {}),
  });
  const invalid = loaded.filter((row) => row.error !== null);
  if (invalid.length > 0 && !options.skipInvalidRows) throw new InputFileError(invalid.map((row) => row.error!), options.inputJsonlPath);

  const numRepeats = options.numRepeats ?? 1;
  const taskIndexOf = assignTaskIndices(loaded);
  const validRows: InputRow[] = loaded
    .filter((row) => row.row !== null)
    .map((row) => ({ line: row.line, raw: row.raw, row: row.row!, taskIndex: taskIndexOf.get(row)! }));
  const allFresh = materializeRows(validRows, {
    ...(options.agentName ? { agentName: options.agentName } : {}),
    numRepeats,
    responsesCreateParams: overrides,
    addSeed: options.numRepeatsAddSeed ?? false,
  });
  checkMergedParams(allFresh, options.inputJsonlPath, validRows);
  const unused = unusedRepeatAgents(numRepeats, allFresh);
  if (unused.length > 0) notice(`num_repeats dict contains agent names that never appeared in input rows (possible typo?): [${unused.map(pyStrRepr).join(', ')}]`);
  const allInvalidFailures = invalid.flatMap((row) => invalidRowFailures(row, taskIndexOf.get(row)!, numRepeats, options));
  // A shard keeps its tasks only; the digest of the whole run lets aggregate refuse shards of different inputs.
  const manifest = shard ? shardManifest(shard, allFresh, inputDigest(allFresh)) : null;
  const fresh = shard ? allFresh.filter((row) => inShard(row._ng_task_index, shard)) : allFresh;
  const invalidFailures = allInvalidFailures.filter((failure) => inShard(failure._ng_task_index, shard));

  let rows = fresh;
  const persisted = new PersistedResults();
  const accounted = new Map<string, AccountedRollout>();
  const priorAttempts = new Map<string, number>();
  const keptFailures = new Set<string>();
  const resuming = options.resumeFromCache === true && existsSync(paths.materializedInputs) && existsSync(paths.output);
  if (options.resumeFromCache && !resuming) notice('Nothing to resume from (no earlier output and materialized inputs); starting a fresh run.');
  let sameInput = true;
  if (resuming) {
    checkSameShard(paths.shard, shard);
    rows = await readMaterializedRows(paths.materializedInputs);
    sameInput = sameRows(rows, fresh);
    if (!sameInput) {
      notice(`The input or the options changed since ${paths.materializedInputs} was written; resuming with the rows in that file.`);
    }
    for await (const { raw, record } of readJsonlRecords(paths.output)) {
      const key = keyOf(record);
      if (key) accounted.set(key, { category: stringOrNull(record.category), reward: typeof record.reward === 'number' ? record.reward : 0 });
      persisted.addLine(raw);
    }
    for (const failure of await keepTerminalFailures(paths.failures, accounted, priorAttempts)) {
      const key = rolloutKey(failure._ng_task_index, failure._ng_rollout_index);
      accounted.set(key, { category: stringOrNull(failure.category), reward: null });
      keptFailures.add(key);
    }
  } else {
    await Promise.all([paths.output, paths.failures, paths.aggregateMetrics, paths.shard].map((path) => rm(path, { force: true })));
    const materialized = rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length > 0 ? '\n' : '');
    await writeSetupFile(paths.materializedInputs, () => writeFile(paths.materializedInputs, materialized));
    if (manifest) await writeSetupFile(paths.shard, () => writeShardManifest(paths.shard, manifest));
  }

  const categoryTotals = new Map<string, number>();
  for (const row of rows) categoryTotals.set(categoryOf(row) ?? '', (categoryTotals.get(categoryOf(row) ?? '') ?? 0) + 1);
  const pending = rows.filter((row) => !accounted.has(rolloutKey(row._ng_task_index, row._ng_rollout_index)));
  if (resuming) notice(`Resuming: ${rows.length} rollouts in all, ${rows.length - pending.length} already accounted for, ${pending.length} to collect.`);
  // The run's invalid rows: on a resume, those the earlier run kept failure lines for (its rows are the ones
  // resumed); the current input's only when it is still the same input.
  const rowKeys = new Set(rows.map((row) => rolloutKey(row._ng_task_index, row._ng_rollout_index)));
  const invalidToWrite = sameInput ? invalidFailures.filter((failure) => !accounted.has(rolloutKey(failure._ng_task_index, failure._ng_rollout_index))) : [];
  const outsideRows = new Set([...keptFailures].filter((key) => !rowKeys.has(key)));
  for (const failure of invalidToWrite) outsideRows.add(rolloutKey(failure._ng_task_index, failure._ng_rollout_index));
  const resumed = [...accounted].filter(([key]) => rowKeys.has(key) || keptFailures.has(key)).map(([, info]) => info);
  return {
    paths,
    rows,
    pending,
    invalidFailures: invalidToWrite,
    accounted,
    resumed,
    persisted,
    priorAttempts,
    resuming,
    shard,
    total: rows.length + outsideRows.size,
    categoryTotals,
  };
}

/** Writes a file the run sets up before collecting; a failure (no space, no permission) names the file and leaves no torn copy. */
async function writeSetupFile(path: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    await rm(path, { force: true }).catch(() => {});
    throw new CollectionSetupError(`Could not write ${path}: ${code} (${(error as Error).message}). Nothing was collected; free some space or choose another output folder.`);
  }
}

/**
 * The input must be a readable file that none of the run's own files is: a fresh run empties the output and
 * rewrites the sidecars, which would destroy the task file. Checked before the output lock (and so before the
 * output's folder is created).
 */
export function checkCollectionFiles(options: Pick<CollectionOptions, 'inputJsonlPath' | 'outputJsonlPath'>): void {
  const paths = outputPaths(options.outputJsonlPath);
  const input = options.inputJsonlPath;
  let stats;
  try {
    stats = statSync(input);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CollectionSetupError(`The input file ${input} does not exist.`);
    throw new CollectionSetupError(`Cannot read the input file ${input}: ${code ?? (error as Error).message}.`);
  }
  if (stats.isDirectory()) throw new CollectionSetupError(`The input ${input} is a folder, not a JSONL file.`);
  const inputFile = canonicalPath(input);
  const clash = Object.entries(paths).find(([, path]) => canonicalPath(path) === inputFile);
  if (clash) {
    const [role, path] = clash;
    throw new CollectionSetupError(
      role === 'output'
        ? `The output ${path} is the input file: the run would overwrite its own tasks. Choose another +output_jsonl_fpath.`
        : `The input file ${input} is a file of the run itself (${path}, written next to the output ${paths.output}): the run would overwrite its own tasks. Choose another +output_jsonl_fpath, or copy the input elsewhere first.`,
    );
  }
}

/** The path with symbolic links resolved where it exists, so two names of one file compare equal. */
function canonicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function selectShard(options: CollectionOptions): ShardSelection | null {
  try {
    return shardSelection(options.numShards, options.shardIndex);
  } catch (error) {
    if (error instanceof ShardSelectionError) throw new CollectionSetupError(error.message);
    throw error;
  }
}

/** A shard resumes as the same shard: another partition would leave tasks out or collect them twice. */
function checkSameShard(path: string, shard: ShardSelection | null): void {
  let manifest;
  try {
    manifest = readShardManifest(path);
  } catch (error) {
    if (error instanceof ShardSelectionError) throw new CollectionSetupError(error.message);
    throw error;
  }
  const was = manifest ? `shard ${manifest.shard_index} of ${manifest.num_shards}` : 'the whole run (not sharded)';
  const now = shard ? `shard ${shard.shardIndex} of ${shard.numShards}` : 'the whole run (not sharded)';
  if (was !== now) {
    throw new CollectionSetupError(`This output holds ${was}; resuming it as ${now} would leave tasks out or collect them twice. Resume with the same --num-shards/--shard-index (+num_shards, +shard_index), or choose another output.`);
  }
}

/** An invalid row's failure lines: one per repeat its agent would have had (the +agent_name's, else `_default`, else 1). */
function invalidRowFailures(row: LoadedInputRow, taskIndex: number, numRepeats: NumRepeats, options: CollectionOptions): FailureRecord[] {
  const repeats = repeatsFor(numRepeats, options.agentName ?? '_default') ?? 1;
  return Array.from({ length: repeats }, (_, repeat) => ({
    _ng_task_index: taskIndex,
    _ng_rollout_index: repeat,
    ...(options.agentName ? { agent_ref: { name: options.agentName } } : {}),
    _ng_failure_class: 'invalid_row' as const,
    _ng_failure_message: row.error!.message,
    _ng_failure_terminal: true,
    input_file: options.inputJsonlPath,
    input_line: row.line,
    ...(row.error!.field ? { field: row.error!.field } : {}),
  }));
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
 * so a rollout never ends up both in the output and in the failures. `priorAttempts` gets, for each rollout
 * retried, how many attempts its failure lines account for (NeMo Gym counts one line per attempt; ours say
 * `_ng_attempt_index` of the last).
 */
async function keepTerminalFailures(path: string, accounted: Map<string, unknown>, priorAttempts: Map<string, number>): Promise<FailureRecord[]> {
  if (!existsSync(path)) return [];
  const kept: FailureRecord[] = [];
  const lines = new Map<string, number>();
  for await (const record of readJsonlObjects(path)) {
    const failure = record as FailureRecord;
    const key = keyOf(record);
    if (key && failure._ng_failure_terminal === true && !accounted.has(key)) kept.push(failure);
    else if (key && !accounted.has(key)) {
      lines.set(key, (lines.get(key) ?? 0) + 1);
      const last = typeof failure._ng_attempt_index === 'number' ? failure._ng_attempt_index + 1 : 0;
      priorAttempts.set(key, Math.max(priorAttempts.get(key) ?? 0, last, lines.get(key)!));
    }
  }
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, kept.map((failure) => JSON.stringify(failure) + '\n').join(''));
  await rename(temporary, path);
  return kept;
}

export function keyOf(record: JsonObject): string | null {
  return typeof record._ng_task_index === 'number' && typeof record._ng_rollout_index === 'number'
    ? rolloutKey(record._ng_task_index, record._ng_rollout_index)
    : null;
}

export function categoryOf(row: JsonObject): string | null {
  return typeof row.category === 'string' ? row.category : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
