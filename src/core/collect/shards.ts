/**
 * `gym eval aggregate`: rollout files collected in parts (shards of one run) merged into one, with their sidecars,
 * and the aggregate metrics a single run over all of them would have written. NeMo Gym's version
 * (rollout_collection.py `RolloutAggregationHelper`) concatenates the shards and asks the agents for metrics; this one
 * also refuses shards that cannot belong together (the same rollout twice, the same task with different inputs)
 * and merges the `_materialized_inputs` and `_failures` sidecars, so the merged run can be resumed, profiled and
 * verified again like any other.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Logger } from '../logger';
import { dumpOrjson } from '../python/json_dump';
import { collectAggregateMetrics, PersistedResults } from './aggregate';
import { outputPaths } from './output_paths';
import { readKeyedJsonlLines } from './read_jsonl';
import { readShardManifest, ShardSelectionError, type ShardManifest } from './shard_spec';

export class ShardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShardError';
  }
}

/** A sidecar's suffix: files named so are never shards themselves. */
const SIDECAR_SUFFIXES = ['_materialized_inputs.jsonl', '_failures.jsonl', '_reward_profiling.jsonl', '_aggregate_metrics.json', '_agent_metrics.json', '_shard.json', '.lock'];

export function isSidecarFile(path: string): boolean {
  return SIDECAR_SUFFIXES.some((suffix) => basename(path).endsWith(suffix));
}

interface KeyedLine {
  task: number;
  rollout: number;
  text: string;
  file: string;
  line: number;
  value: Record<string, unknown>;
}

function readKeyedLines(path: string, what: string): KeyedLine[] {
  return readKeyedJsonlLines(path, {
    malformed: (line, reason) => new ShardError(`${path}:${line}: malformed JSON in this ${what} (${reason}).`),
    unkeyed: (line) => new ShardError(`${path}:${line}: a ${what} line needs integer _ng_task_index and _ng_rollout_index.`),
  }).map(({ task, rollout, text, line, record }) => ({ task, rollout, text, file: path, line, value: record }));
}

const byKey = (a: KeyedLine, b: KeyedLine) => a.task - b.task || a.rollout - b.rollout;

/** A task's input as every repeat shares it: the row without the rollout's own stamps and seed. */
function taskFingerprint(row: Record<string, unknown>): string {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (!key.startsWith('_ng_')) copy[key] = value;
  const params = copy.responses_create_params as Record<string, unknown> | undefined;
  const metadata = params?.metadata as Record<string, unknown> | undefined;
  if (metadata && typeof metadata.extra_body === 'string') {
    try {
      const extra = JSON.parse(metadata.extra_body) as Record<string, unknown>;
      delete extra.seed;
      copy.responses_create_params = { ...params, metadata: { ...metadata, extra_body: extra } };
    } catch {
      // not JSON: compared as it is
    }
  }
  return JSON.stringify(copy);
}

export interface AggregateShardsOptions {
  shards: readonly string[];
  output: string;
  /** Write the merged rollouts (NeMo Gym's `merge_shards`, default true); the metrics are written either way. */
  mergeShards: boolean;
  /**
   * The glob matched the output too (it was left out as a shard): it may be a previous merge of these shards,
   * which is replaced, or a shard itself, whose rollouts the merge must not lose.
   */
  outputMatched?: boolean;
  logger: Logger;
}

export interface AggregateShardsResult {
  rollouts: number;
  output: string | null;
  materializedInputs: string | null;
  failures: string | null;
  aggregateMetrics: string | null;
  metrics: unknown[] | null;
  /** Things worth saying that do not stop the merge (e.g. shards of the run that were not given). */
  notes: string[];
}

export async function aggregateShards(options: AggregateShardsOptions): Promise<AggregateShardsResult> {
  const notes = checkShardManifests(options.shards);
  const results: KeyedLine[] = [];
  const owner = new Map<string, KeyedLine>();
  const overlaps: string[] = [];
  for (const shard of options.shards) {
    for (const line of readKeyedLines(shard, 'rollout')) {
      const key = `${line.task}:${line.rollout}`;
      const first = owner.get(key);
      if (first) overlaps.push(`rollout (task ${line.task}, rollout ${line.rollout}) is in ${first.file}:${first.line} and ${line.file}:${line.line}`);
      else owner.set(key, line);
      results.push(line);
    }
  }
  if (overlaps.length > 0) {
    throw new ShardError(`These shards overlap: the same rollout is in more than one of them.\n  ${overlaps.slice(0, 10).join('\n  ')}${overlaps.length > 10 ? `\n  ... and ${overlaps.length - 10} more` : ''}`);
  }
  results.sort(byKey);

  const inputs = mergeMaterializedInputs(options.shards);
  const failures = options.shards.flatMap((shard) => {
    const path = outputPaths(shard).failures;
    return existsSync(path) ? readKeyedLines(path, 'failure').filter((line) => !owner.has(`${line.task}:${line.rollout}`)) : [];
  });
  const anyFailuresFile = options.shards.some((shard) => existsSync(outputPaths(shard).failures));

  const paths = outputPaths(options.output);
  if (options.mergeShards && options.outputMatched) checkOutputReplaceable(options.output, owner);
  const text = (lines: KeyedLine[]) => lines.map((line) => `${line.text}\n`).join('');
  if (options.mergeShards) {
    await writeFile(paths.output, text(results));
    if (inputs !== null) await writeFile(paths.materializedInputs, text(inputs));
    if (anyFailuresFile) await writeFile(paths.failures, text(failures.sort(byKey)));
  }
  const persisted = new PersistedResults();
  for (const line of results) persisted.addLine(line.text);
  const metrics = await collectAggregateMetrics(persisted, null, null, options.logger);
  if (metrics !== null) await writeFile(paths.aggregateMetrics, dumpOrjson(metrics, { indent2: true }));
  return {
    rollouts: results.length,
    output: options.mergeShards ? paths.output : null,
    materializedInputs: options.mergeShards && inputs !== null ? paths.materializedInputs : null,
    failures: options.mergeShards && anyFailuresFile ? paths.failures : null,
    aggregateMetrics: metrics !== null ? paths.aggregateMetrics : null,
    metrics,
    notes,
  };
}

/** Refuses to overwrite an output that holds rollouts the merge does not (it is a shard, not an earlier merge). */
function checkOutputReplaceable(output: string, merged: ReadonlyMap<string, KeyedLine>): void {
  if (!existsSync(output)) return;
  const lost = readKeyedLines(output, 'rollout').filter((line) => !merged.has(`${line.task}:${line.rollout}`));
  if (lost.length === 0) return;
  const first = lost[0]!;
  throw new ShardError(
    `The output ${output} matches the shards' glob and holds ${lost.length} rollout${lost.length === 1 ? '' : 's'} that none of the shards hold ` +
      `(the first: task ${first.task}, rollout ${first.rollout}, line ${first.line}): it is a shard, and merging into it would lose them. Choose another output (-o).`,
  );
}

/**
 * The shards' `_materialized_inputs.jsonl` as one, in key order (a row several shards list is kept once); null when
 * no shard has one. Shards of different inputs are refused: the same task must be the same row in every shard.
 */
function mergeMaterializedInputs(shards: readonly string[]): KeyedLine[] | null {
  const rows = new Map<string, KeyedLine>();
  const tasks = new Map<number, { fingerprint: string; line: KeyedLine }>();
  let found = false;
  for (const shard of shards) {
    const path = outputPaths(shard).materializedInputs;
    if (!existsSync(path)) continue;
    found = true;
    for (const line of readKeyedLines(path, 'materialized input')) {
      const fingerprint = taskFingerprint(line.value);
      const task = tasks.get(line.task);
      if (task && task.fingerprint !== fingerprint) {
        throw new ShardError(
          `These shards are of different inputs: task ${line.task} is not the same row in ${task.line.file}:${task.line.line} and ${line.file}:${line.line}. ` +
            'Aggregate only the shards of one run (same input file, same options).',
        );
      }
      if (!task) tasks.set(line.task, { fingerprint, line });
      rows.set(`${line.task}:${line.rollout}`, rows.get(`${line.task}:${line.rollout}`) ?? line);
    }
  }
  return found ? [...rows.values()].sort(byKey) : null;
}

/**
 * Shards written with `+num_shards` say which run they belong to (`<stem>_shard.json`): they must be of the same
 * input and options (the digest of the whole run's materialized rows) and the same partition, each index once.
 * Their tasks are disjoint, so comparing materialized rows alone could not tell. Returns notes (shards not given).
 */
function checkShardManifests(shards: readonly string[]): string[] {
  const manifests: { file: string; manifest: ShardManifest }[] = [];
  for (const shard of shards) {
    let manifest: ShardManifest | null;
    try {
      manifest = readShardManifest(outputPaths(shard).shard);
    } catch (error) {
      if (error instanceof ShardSelectionError) throw new ShardError(error.message);
      throw error;
    }
    if (manifest) manifests.push({ file: shard, manifest });
  }
  if (manifests.length === 0) return [];
  const describe = ({ file, manifest }: { file: string; manifest: ShardManifest }) =>
    `${file} (shard ${manifest.shard_index} of ${manifest.num_shards}, input ${manifest.input_digest.slice(0, 12)}, ${manifest.total_rollouts} rollouts in the run)`;
  const first = manifests[0]!;
  const other = manifests.find(({ manifest }) => manifest.input_digest !== first.manifest.input_digest || manifest.num_shards !== first.manifest.num_shards);
  if (other) {
    throw new ShardError(
      `These shards are of different inputs (or options, or partitions): ${describe(first)} and ${describe(other)}. ` +
        'Aggregate only the shards of one run (same input file, same options, same --num-shards).',
    );
  }
  const byIndex = new Map<number, string>();
  for (const entry of manifests) {
    const seen = byIndex.get(entry.manifest.shard_index);
    if (seen !== undefined) throw new ShardError(`Shard ${entry.manifest.shard_index} of ${entry.manifest.num_shards} is given twice: ${seen} and ${entry.file}.`);
    byIndex.set(entry.manifest.shard_index, entry.file);
  }
  const notes: string[] = [];
  const missing = Array.from({ length: first.manifest.num_shards }, (_, index) => index).filter((index) => !byIndex.has(index));
  if (missing.length > 0) notes.push(`shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${first.manifest.num_shards} not given: the merged run is partial.`);
  if (manifests.length < shards.length) notes.push(`${shards.length - manifests.length} of the files have no _shard.json (not written with --num-shards); their inputs are compared row by row only.`);
  return notes;
}
