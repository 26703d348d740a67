/**
 * The `gym` flags and the Hydra keys they stand for, as nemo_gym/cli/main.py declares them. A value flag `--name V`
 * becomes `+<key>=V`, a switch becomes `+<key>=true`; `--config` (repeatable) and the named-asset flags
 * (`--environment`, `--model-type`, ...) all become one `+config_paths=[...]`.
 */
import type { AssetFlag } from './assets';

export type FlagSpec =
  | { kind: 'value'; flags: string; key: string; help: string }
  /** A value in Hydra's own grammar (a list or a mapping), passed on as typed. */
  | { kind: 'hydra'; flags: string; key: string; help: string }
  | { kind: 'switch'; flags: string; key: string; help: string }
  | { kind: 'config'; flags: string; help: string }
  | { kind: 'asset'; flags: string; asset: AssetFlag; help: string }
  /** Parsed by commander, translated by the command itself (e.g. `--no-serve`), or refused. */
  | { kind: 'own'; flags: string; help: string };

const value = (flags: string, key: string, help: string): FlagSpec => ({ kind: 'value', flags, key, help });
const toggle = (flags: string, key: string, help: string): FlagSpec => ({ kind: 'switch', flags, key, help });

export const CONFIG: FlagSpec = { kind: 'config', flags: '--config <path>', help: 'config file to load; repeatable (+config_paths=[...]); NeMo Gym\'s paths name ours' };
export const BENCHMARK: FlagSpec = { kind: 'asset', flags: '--benchmark <name>', asset: 'benchmark', help: 'load the named benchmark config (Gym Rollouts has none)' };
export const ENVIRONMENT: FlagSpec = { kind: 'asset', flags: '--environment <name>', asset: 'environment', help: 'load the named environment config (workplace_assistant)' };
export const RESOURCES_SERVER: FlagSpec = { kind: 'asset', flags: '--resources-server <name>', asset: 'resources-server', help: 'load the named resources server config (workplace_assistant)' };
export const MODEL_TYPE: FlagSpec = { kind: 'asset', flags: '--model-type <name>', asset: 'model-type', help: 'load the named model server config (openai_model, vllm_model)' };
export const SEARCH_DIR: FlagSpec = { kind: 'own', flags: '--search-dir <dir>', help: 'extra component roots (not available: Gym Rollouts has no component catalog)' };
export const MODEL = value('-m, --model <name>', 'policy_model_name', 'model name (+policy_model_name)');
export const MODEL_URL = value('--model-url <url>', 'policy_base_url', 'model endpoint base URL (+policy_base_url)');
export const MODEL_API_KEY = value('--model-api-key <key>', 'policy_api_key', "model endpoint key (+policy_api_key); visible in ps: prefer '${oc.env:NVIDIA_API_KEY}' or env.yaml");
export const JSON_OUTPUT = toggle('--json', 'json', 'output as machine-readable JSON');
export const CONCURRENCY = value('--concurrency <n>', 'num_samples_in_parallel', 'rollouts in flight at once (+num_samples_in_parallel)');
export const LIMIT = value('--limit <n>', 'limit', 'first N tasks (+limit)');

export const SERVER_FLAGS: readonly FlagSpec[] = [CONFIG, BENCHMARK, ENVIRONMENT, RESOURCES_SERVER, MODEL_TYPE, SEARCH_DIR];

export const EVAL_RUN_FLAGS: readonly FlagSpec[] = [
  ...SERVER_FLAGS,
  { kind: 'own', flags: '--no-serve', help: 'collect through servers already running (gym env start) instead of starting them' },
  toggle('--resume', 'resume_from_cache', 'collect only what the output and failures files lack (+resume_from_cache)'),
  value('-a, --agent <name>', 'agent_name', 'agent for rows without their own agent_ref (+agent_name)'),
  value('-i, --input <path>', 'input_jsonl_fpath', 'task rows, NeMo Gym JSONL (+input_jsonl_fpath)'),
  value('-o, --output <path>', 'output_jsonl_fpath', 'rollouts JSONL; sidecars share its stem (+output_jsonl_fpath)'),
  LIMIT,
  value('--num-repeats <n>', 'num_repeats', 'rollouts per task (+num_repeats)'),
  value('--prompt-config <path>', 'prompt_config', 'prompt template YAML (not supported here)'),
  CONCURRENCY,
  value('--split <split>', 'split', 'dataset split (not supported here: pass --input)'),
  MODEL,
  MODEL_URL,
  MODEL_API_KEY,
  value('--temperature <t>', 'responses_create_params.temperature', 'sampling temperature'),
  value('--top-p <p>', 'responses_create_params.top_p', 'nucleus sampling top-p'),
  value('--max-output-tokens <n>', 'responses_create_params.max_output_tokens', 'maximum output tokens'),
  toggle('--disable-aggregation', 'disable_aggregation', 'skip <stem>_aggregate_metrics.json (for shards; then gym eval aggregate)'),
  value('--num-shards <n>', 'num_shards', 'split the run into N shards by task index (+num_shards); one job per shard, then gym eval aggregate'),
  value('--shard-index <i>', 'shard_index', 'which shard this job collects, 0 to N-1 (+shard_index)'),
  { kind: 'hydra', flags: '--head-servers <list>', key: 'head_servers', help: "with --no-serve: environment hosts to spread the rollouts over, e.g. '[{host: 10.0.0.2, port: 11000}, {host: 10.0.0.3, port: 11000}]' (+head_servers)" },
];

export const EVAL_AGGREGATE_FLAGS: readonly FlagSpec[] = [
  CONFIG,
  value('-i, --input-glob <glob>', 'input_glob', 'glob (or comma-separated globs) of the rollout shards (+input_glob)'),
  value('-o, --output <path>', 'output_jsonl_fpath', 'merged rollouts; metrics go to <stem>_aggregate_metrics.json (+output_jsonl_fpath)'),
];

export const EVAL_REVERIFY_FLAGS: readonly FlagSpec[] = [
  ...SERVER_FLAGS,
  value('--inputs <path>', 'materialized_inputs_jsonl_fpath', '<stem>_materialized_inputs.jsonl of the run'),
  value('--rollouts <path>', 'rollouts_jsonl_fpath', 'the rollouts to verify again'),
  value('-o, --output <path>', 'output_jsonl_fpath', 'rollouts with the new rewards (default <rollouts stem>_reverified.jsonl)'),
  CONCURRENCY,
  value('--limit <n>', 'limit', 'at most N rollouts'),
  toggle('--force', 'force', "verify even with a resources server whose reverify_mode is unsupported or unknown (output prefixed 'unsafe_')"),
  toggle('--overwrite', 'overwrite', 'replace an existing output instead of refusing'),
  toggle('--resume', 'resume_from_cache', 'verify only the rollouts the output lacks'),
  toggle('--disable-aggregation', 'disable_aggregation', 'skip <stem>_aggregate_metrics.json'),
  toggle('--judge-failed-only', 'judge_failed_only', 'recover judge failures (not available: workplace_assistant has no judge)'),
  toggle('--append', 'append', 'with --judge-failed-only (not available)'),
];

export const EVAL_PROFILE_FLAGS: readonly FlagSpec[] = [
  value('--inputs <path>', 'materialized_inputs_jsonl_fpath', '<stem>_materialized_inputs.jsonl of the run'),
  value('--rollouts <path>', 'rollouts_jsonl_fpath', 'the rollouts to profile'),
];

export const DATASET_GENERATE_FLAGS: readonly FlagSpec[] = [
  value('-o, --output <path>', 'output_jsonl_fpath', 'the task file to write; the report goes to <stem>_report.json (+output_jsonl_fpath)'),
  value('-n, --num-tasks <n>', 'num_tasks', 'how many tasks (+num_tasks)'),
  value('--seed <n>', 'seed', 'the seed: the same seed gives the same file (+seed, default 0)'),
  value('--share-no-action <x>', 'no_action_share', 'share of tasks that need no action, 0 to 1 (+no_action_share, default 0.15)'),
  toggle('--paraphrase', 'paraphrase', 'rewrite the queries with the policy model, keeping a rewrite only if every entity is still in it (+paraphrase)'),
  MODEL,
  MODEL_URL,
  MODEL_API_KEY,
];

/** Commander's property name for a flag (`--num-repeats <n>` → `numRepeats`, `--no-serve` → `serve`). */
export function optionProperty(flags: string): string {
  const long = /--([a-z0-9-]+)/.exec(flags)![1]!.replace(/^no-/, '');
  return long.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
