import { existsSync, readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { writeRewardProfile } from '../../core/metrics/reward_profile_files';
import { profileCompletionSummary, profileFromData, rolloutKeyOf, RewardProfileError } from '../../core/metrics/reward_profiler';
import { parsePythonJson } from '../../core/python/json_parse';
import { isPyDict, PyFloat, PyException, type PyDict } from '../../core/python/value';
import { isPassingReward, passAtK } from '../../core/reward';
import type { CliIO } from '../cli_io';
import { boolOption, loadCommandConfig, stringOption, UsageError } from '../command_config';

export const PROFILE_HELP = `gym eval profile --inputs <stem>_materialized_inputs.jsonl --rollouts <rollouts.jsonl>
(ng_reward_profile +materialized_inputs_jsonl_fpath=... +rollouts_jsonl_fpath=...): NeMo Gym's reward profile,
written next to the rollouts: <stem>_reward_profiling.jsonl (one line per task: mean/max/min/median/std of every
numeric field, the task's row, its rollouts) and <stem>_agent_metrics.json (the same per agent).
  +allow_partial_rollouts=true   profile what a stopped collection wrote (tasks without rollouts are left out)`;

/** A JSONL file as Python dicts (ints and floats kept apart), each error naming the file and the line. */
export function readPythonJsonl(path: string, flag: string): PyDict[] {
  if (!existsSync(path)) throw new UsageError(`Input file not found: '${path}' (${flag}). Check the path is spelled correctly.`);
  const rows: PyDict[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      let value;
      try {
        value = parsePythonJson(line);
      } catch (error) {
        throw new UsageError(`Malformed JSON in '${path}' at line ${index + 1}: ${error instanceof PyException ? error.message : String(error)}`);
      }
      if (!isPyDict(value)) throw new UsageError(`'${path}' line ${index + 1}: not a JSON object.`);
      try {
        rolloutKeyOf(value);
      } catch (error) {
        throw new UsageError(`'${path}' line ${index + 1}: ${(error as Error).message}.`);
      }
      rows.push(value);
    });
  return rows;
}

/** `gym eval profile` / `ng_reward_profile`. */
export async function runNgRewardProfile(argv: string[], io: CliIO): Promise<number> {
  const command = loadCommandConfig('ng_reward_profile', argv, io, ['materialized_inputs_jsonl_fpath', 'rollouts_jsonl_fpath', 'allow_partial_rollouts']);
  if (command.wantsHelp) {
    io.stdout(`${PROFILE_HELP}\n`);
    return 0;
  }
  const inputsOption = stringOption(command.option('materialized_inputs_jsonl_fpath'), 'materialized_inputs_jsonl_fpath');
  const rolloutsOption = stringOption(command.option('rollouts_jsonl_fpath'), 'rollouts_jsonl_fpath');
  if (!inputsOption) throw new UsageError('the materialized inputs are required: --inputs FILE (+materialized_inputs_jsonl_fpath=FILE).');
  if (!rolloutsOption) throw new UsageError('the rollouts are required: --rollouts FILE (+rollouts_jsonl_fpath=FILE).');
  const rolloutsPath = resolvePath(io.cwd, rolloutsOption);
  const rows = readPythonJsonl(resolvePath(io.cwd, inputsOption), '--inputs');
  const results = readPythonJsonl(rolloutsPath, '--rollouts');
  results.sort((a, b) => {
    const [ta, ra] = rolloutKeyOf(a);
    const [tb, rb] = rolloutKeyOf(b);
    return ta - tb || ra - rb;
  });
  let profile;
  try {
    profile = profileFromData(rows, results, boolOption(command.option('allow_partial_rollouts'), 'allow_partial_rollouts') ?? false);
  } catch (error) {
    if (error instanceof RewardProfileError) throw new UsageError(error.message);
    throw error;
  }
  const summary = profileCompletionSummary(rows, results);
  const paths = await writeRewardProfile(profile, rolloutsPath);
  io.stdout(
    'Profiling outputs:\n' +
      `Reward profile completion: ${summary.completed_rollout_rows}/${summary.expected_rollout_rows} rollout rows (${summary.reward_profile_completion_pct.toFixed(2)}%)\n` +
      `Input rows: ${summary.total_input_rows} total; ${summary.complete_input_rows} complete; ${summary.partial_input_rows} partial; ${summary.missing_input_rows} without rollouts dropped from output.\n` +
      `Reward profiling outputs: ${paths.rewardProfiling}\n` +
      `Agent-level metrics: ${paths.agentMetrics}\n`,
  );
  const passLine = passAtKLine(results);
  if (passLine) io.stdout(`${passLine}\n`);
  return 0;
}

/** pass@1 and pass@k (k = the fewest rollouts of a task) over the profiled tasks, when every reward is 0 or 1. */
function passAtKLine(results: readonly PyDict[]): string | null {
  const byTask = new Map<number, number[]>();
  for (const result of results) {
    const reward = result.get('reward');
    const value = reward instanceof PyFloat ? reward.value : typeof reward === 'number' ? reward : NaN;
    if (value !== 0 && value !== 1) return null;
    const task = rolloutKeyOf(result)[0];
    byTask.set(task, [...(byTask.get(task) ?? []), value]);
  }
  if (byTask.size === 0) return null;
  const k = [...byTask.values()].reduce((fewest, rewards) => Math.min(fewest, rewards.length), Infinity);
  const mean = (kk: number) => (100 * [...byTask.values()].reduce((sum, rewards) => sum + passAtK(rewards.length, rewards.filter(isPassingReward).length, kk), 0)) / byTask.size;
  return `pass@1: ${mean(1).toFixed(2)}%${k > 1 ? `; pass@${k}: ${mean(k).toFixed(2)}%` : ''} over ${byTask.size} task(s) (unbiased estimator; not in NeMo Gym's files)`;
}
