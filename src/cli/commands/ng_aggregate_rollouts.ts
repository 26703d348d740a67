import { globSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { takeOutputLock } from '../../core/collect/collect';
import { aggregateShards, isSidecarFile } from '../../core/collect/shards';
import { outputPaths } from '../../core/collect/output_paths';
import { stderrLogger, type CliIO } from '../cli_io';
import { boolOption, loadCommandConfig, stringOption, UsageError } from '../command_config';
import { printKeyMetrics } from './key_metrics';

export const AGGREGATE_HELP = `gym eval aggregate -i GLOB -o OUT (ng_aggregate_rollouts +input_glob=GLOB +output_jsonl_fpath=OUT):
merge the rollout shards of one run and compute the aggregate metrics a single run would have written.

  -i, --input-glob GLOB   glob, or comma-separated globs, of the shard files (+input_glob)
  -o, --output OUT        the merged rollouts (+output_jsonl_fpath); next to it <stem>_aggregate_metrics.json and,
                          from the shards' sidecars, <stem>_materialized_inputs.jsonl and <stem>_failures.jsonl
  +merge_shards=false     write only the metrics
Shards holding the same rollout, the same task with different inputs, or (for shards written with --num-shards)
another run's input, options or partition, are refused. Sidecar files matched by the
glob (and the output itself) are not shards and are left out.`;

/** `gym eval aggregate` / `ng_aggregate_rollouts`. */
export async function runNgAggregateRollouts(argv: string[], io: CliIO): Promise<number> {
  const command = loadCommandConfig('ng_aggregate_rollouts', argv, io, ['input_glob', 'output_jsonl_fpath', 'merge_shards', 'verbose']);
  if (command.wantsHelp) {
    io.stdout(`${AGGREGATE_HELP}\n`);
    return 0;
  }
  const { option } = command;
  const pattern = stringOption(option('input_glob'), 'input_glob');
  const outputOption = stringOption(option('output_jsonl_fpath'), 'output_jsonl_fpath');
  if (!pattern) throw new UsageError('the shards are required: -i/--input-glob GLOB (+input_glob=GLOB).');
  if (!outputOption) throw new UsageError('the output is required: -o/--output FILE (+output_jsonl_fpath=FILE).');
  const output = resolvePath(io.cwd, outputOption);
  const own = new Set(Object.values(outputPaths(output)));

  const matched = expandInputGlob(pattern, io.cwd);
  const shards: string[] = [];
  let outputMatched = false;
  for (const path of matched) {
    const absolute = resolvePath(io.cwd, path);
    if (absolute === output) outputMatched = true;
    if (own.has(absolute)) io.stderr(`note: ${path} is the output (or one of its sidecars), not a shard; left out.\n`);
    else if (isSidecarFile(absolute)) io.stderr(`note: ${path} is a sidecar file, not a shard; left out.\n`);
    else shards.push(path);
  }
  if (shards.length === 0) throw new UsageError(`No shards matched input_glob=${JSON.stringify(pattern)} (in ${io.cwd}).`);
  io.stdout(`Aggregating ${shards.length} shard(s):\n${shards.map((path) => `  - ${path}\n`).join('')}`);

  const lock = takeOutputLock(output, 'gym eval aggregate', (message) => io.stderr(`note: ${message}\n`));
  try {
    const result = await aggregateShards({
      shards: shards.map((path) => resolvePath(io.cwd, path)),
      output,
      mergeShards: boolOption(option('merge_shards'), 'merge_shards') ?? true,
      outputMatched,
      logger: stderrLogger(io, option('verbose') === true),
    });
    for (const note of result.notes) io.stderr(`note: ${note}\n`);
    io.stdout(`Loaded ${result.rollouts} rollout record(s) from ${shards.length} shard(s)\n`);
    printKeyMetrics(result.metrics, io);
    io.stdout(
      `Finished rollout aggregation! View results at:\nMerged rollouts: ${result.output ?? '<not merged>'}\n` +
        (result.materializedInputs ? `Merged materialized inputs: ${result.materializedInputs}\n` : '') +
        (result.failures ? `Merged failures: ${result.failures}\n` : '') +
        `Aggregate metrics: ${result.aggregateMetrics ?? 'None'}\n`,
    );
    return 0;
  } finally {
    lock.release();
  }
}

/** NeMo Gym's `_expand_input_glob`: each comma-separated pattern's matches sorted, duplicates dropped, in order. */
export function expandInputGlob(pattern: string, cwd: string): string[] {
  const seen = new Set<string>();
  for (const part of pattern.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    for (const path of globSync(part, { cwd }).sort()) seen.add(path);
  }
  return [...seen];
}
