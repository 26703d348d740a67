import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { CollectionOptions, CollectionSummary, EndpointReport } from '../../core/collect/api';
import type { NumRepeats } from '../../core/collect/materialize';
import { pyStrRepr } from '../../core/python/repr';
import { collectRollouts, takeOutputLock } from '../../core/collect/collect';
import { DEFAULT_ROLLOUT_ATTEMPTS } from '../../core/retry_policy';
import { deploymentDifferences } from '../../core/collect/deployment_match';
import { discoverServers, fetchGlobalConfig } from '../../core/collect/head_discovery';
import { checkCollectionFiles } from '../../core/collect/plan';
import { shardSelection, ShardSelectionError } from '../../core/collect/shard_spec';
import { headServerAddress, nemoGymDataAlias } from '../../core/config';
import { redactingLogger } from '../../core/redacting_logger';
import type { RunningServers } from '../../core/servers/api';
import { startEmbeddedServers } from '../../core/servers/embedded';
import { HttpClient } from '../../core/servers/http/http_client';
import { stderrLogger, type CliIO } from '../cli_io';
import { boolOption, INSTALL_ROOT, intOption, loadCommandConfig, stringOption, UsageError, type CommandConfig } from '../command_config';
import { formatDuration, ProgressBar } from '../progress_bar';
import { printServers } from './ng_run';

/** Every option of NeMo Gym's `ng_collect_rollouts` (NEMO_GYM_PROTOCOL.md §5.1) plus ours. */
export const COLLECT_OPTION_KEYS = [
  'agent_name',
  'input_jsonl_fpath',
  'output_jsonl_fpath',
  'limit',
  'num_repeats',
  'num_samples_in_parallel',
  'responses_create_params',
  'num_repeats_add_seed',
  'resume_from_cache',
  'upload_rollouts_to_wandb',
  'disable_aggregation',
  'skip_invalid_rows',
  'max_attempts',
  'rollout_timeout_seconds',
  'sanitize_tool_schemas',
  'workplace_assistant_data_dir',
  'workplace_assistant_data_url',
  'workplace_assistant_data_download',
  'verbose',
  'in_process_transport',
  'skip_endpoint_check',
  'observability_enabled',
  'model_call_capture_dir',
  'num_shards',
  'shard_index',
  'head_servers',
  ...['prompt_config', 'skills', 'rollout_collection_driver', 'split', 'reuse_existing_data_preparation'],
];

/** NeMo Gym options this implementation does not have; asking for one is an error, never silently ignored. */
const UNSUPPORTED_OPTIONS: Record<string, string> = {
  prompt_config: 'build responses_create_params.input in the task file instead',
  skills: 'not supported',
  rollout_collection_driver: 'not supported',
  split: 'ng_e2e_collect_rollouts is not part of Gym Rollouts; pass +input_jsonl_fpath',
  reuse_existing_data_preparation: 'ng_e2e_collect_rollouts is not part of Gym Rollouts',
};

export const NG_COLLECT_HELP = `ng_collect_rollouts: send every task of a JSONL file to an agent and write one rollout line each.

  ng_collect_rollouts +agent_name=workplace_assistant_simple_agent +input_jsonl_fpath=input.jsonl \\
      +output_jsonl_fpath=rollouts.jsonl +limit=5 +num_repeats=4 +num_samples_in_parallel=10 \\
      '+responses_create_params={temperature: 0.7, max_output_tokens: 2048}'

The agent is found through the head server (127.0.0.1:11000, or +head_server={host: H, port: P}). With
+config_paths=[...] and no head server running, the servers are started for this run and stopped after.

Options:
  +agent_name=NAME                agent for rows without their own agent_ref
  +input_jsonl_fpath=FILE         task rows (NeMo Gym format)            (required)
  +output_jsonl_fpath=FILE        rollouts; sidecars share its stem       (required)
  +limit=N                        first N rows (0: all)
  +num_repeats=N                  rollouts per task, adjacent ("aabbcc"); or per agent:
                                  '+num_repeats={simple_agent: 32, swe_agent: 1, _default: 4}'
  +num_samples_in_parallel=N      rollouts in flight at once (default: all)
  +responses_create_params={...}  shallow-merged over each row's params
  +num_repeats_add_seed=true      the rollout index as seed in metadata.extra_body (vLLM)
  +resume_from_cache=true         collect only what the output and failures files lack
  +skip_invalid_rows=true         record bad rows in <stem>_failures.jsonl instead of stopping
  +max_attempts=N                 tries per rollout before it is recorded as a failure (default 3)
  +rollout_timeout_seconds=S      deadline for one rollout (default none)
  +sanitize_tool_schemas=true     strip non-standard tool-schema keys (e.g. database, operation_type)
  +disable_aggregation=true       skip <stem>_aggregate_metrics.json
  +skip_endpoint_check=true       start without checking the policy endpoint (key, model, reachability)
  +num_shards=N +shard_index=I    collect one shard: the tasks whose index is I modulo N (all repeats of a task
                                  together); each shard has its own output, resume and <stem>_shard.json; merge
                                  the shards with gym eval aggregate
  +head_servers=[{host: H, port: P}, ...]  collect through several environment hosts, spreading rollouts over them
Files: <stem>_materialized_inputs.jsonl, <stem>_failures.jsonl, <stem>_aggregate_metrics.json, and <stem>.lock
while the run lasts (a second collection on the same output is refused).
Exit codes: 0 every rollout written; 3 finished with failures; 4 stopped early (a failure that repeats for every
rollout, or an output that cannot be written: resume later); 130 cancelled; 1 an error before collecting.`;

/**
 * How servers are found: `auto` (ng_collect_rollouts) uses running ones, or starts those of +config_paths when none
 * run; `serve` (gym eval run) starts the servers of its config (reusing running ones only if they are the same);
 * `no-serve` (gym eval run --no-serve) never starts any.
 */
export interface CollectMode {
  serve?: 'serve' | 'no-serve';
}

export async function runNgCollectRollouts(argv: string[], io: CliIO, mode: CollectMode = {}): Promise<number> {
  const command = loadCommandConfig('ng_collect_rollouts', argv, io, COLLECT_OPTION_KEYS);
  if (command.wantsHelp) {
    io.stdout(`${NG_COLLECT_HELP}\n`);
    return 0;
  }
  const { option, redact } = command;
  for (const [key, hint] of Object.entries(UNSUPPORTED_OPTIONS)) {
    if (option(key) !== undefined) throw new UsageError(`ng_collect_rollouts: +${key} (a NeMo Gym option) is not supported here: ${hint}.`);
  }
  const logger = redactingLogger(stderrLogger(io, option('verbose') === true), redact);
  const input = stringOption(option('input_jsonl_fpath'), 'input_jsonl_fpath');
  const output = stringOption(option('output_jsonl_fpath'), 'output_jsonl_fpath');
  if (!input) throw new UsageError('ng_collect_rollouts: +input_jsonl_fpath=<tasks.jsonl> is required.');
  if (!output) throw new UsageError('ng_collect_rollouts: +output_jsonl_fpath=<rollouts.jsonl> is required.');
  const overrides = option('responses_create_params');
  if (overrides !== undefined && (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))) {
    throw new UsageError('+responses_create_params should be a mapping, e.g. \'+responses_create_params={temperature: 0.7}\'.');
  }
  if (option('upload_rollouts_to_wandb') === true) io.stderr('note: +upload_rollouts_to_wandb is not supported; rollouts stay in the output file.\n');
  const timeoutSeconds = option('rollout_timeout_seconds');
  const maxAttempts = atLeast(intOption(option('max_attempts'), 'max_attempts'), 1, 'max_attempts') ?? intOption(io.env.NEMO_GYM_MAX_ROLLOUT_ATTEMPTS, 'NEMO_GYM_MAX_ROLLOUT_ATTEMPTS') ?? DEFAULT_ROLLOUT_ATTEMPTS;
  const options: CollectionOptions = {
    inputJsonlPath: inputPath(input, io),
    outputJsonlPath: resolvePath(io.cwd, output),
    ...(stringOption(option('agent_name'), 'agent_name') ? { agentName: stringOption(option('agent_name'), 'agent_name')! } : {}),
    limit: atLeast(intOption(option('limit'), 'limit'), 0, 'limit', ' (0 or none: every row)') ?? null,
    numRepeats: numRepeatsOption(option('num_repeats')),
    numSamplesInParallel: atLeast(intOption(option('num_samples_in_parallel'), 'num_samples_in_parallel'), 1, 'num_samples_in_parallel') ?? null,
    responsesCreateParams: (overrides as Record<string, unknown> | undefined) ?? {},
    resumeFromCache: boolOption(option('resume_from_cache'), 'resume_from_cache') ?? false,
    skipInvalidRows: boolOption(option('skip_invalid_rows'), 'skip_invalid_rows') ?? false,
    maxAttempts,
    rolloutTimeoutMs: typeof timeoutSeconds === 'number' && timeoutSeconds > 0 ? timeoutSeconds * 1000 : null,
    sanitizeToolSchemas: boolOption(option('sanitize_tool_schemas'), 'sanitize_tool_schemas') ?? false,
    numRepeatsAddSeed: boolOption(option('num_repeats_add_seed'), 'num_repeats_add_seed') ?? false,
    disableAggregation: boolOption(option('disable_aggregation'), 'disable_aggregation') ?? false,
    inProcessTransport: boolOption(option('in_process_transport'), 'in_process_transport') ?? true,
    ...shardOptions(option('num_shards'), option('shard_index')),
  };

  // The output lock first: it proves the folder is writable and that no other collection writes there,
  // before any server starts.
  checkCollectionFiles(options);
  const lock = takeOutputLock(options.outputJsonlPath, 'ng_collect_rollouts', (message) => io.stderr(`note: ${redact(message)}\n`));
  let embedded: RunningServers | null = null;
  const bar = new ProgressBar(io.stderr, io.isTTY);
  let summary: CollectionSummary;
  try {
    const head = headServerAddress(command.config, io.env);
    let headServerUrl = `http://${head.host}:${head.port}`;
    const hosts = headServersOption(option('head_servers'));
    if (hosts.length > 0) {
      // Several environment hosts: collect through them (nothing is started); each must answer now.
      for (const url of hosts) if (!(await headServerAnswers(url))) throw new UsageError(`No head server answers at ${url} (+head_servers). Start it, or leave it out of the list.`);
      io.stderr(`Collecting through ${hosts.length} environment hosts: ${hosts.join(', ')}.\n`);
    }
    const running = hosts.length > 0 || (await headServerAnswers(headServerUrl));
    if (mode.serve === 'serve' && command.loaded.configPaths.length === 0) {
      throw new UsageError(
        `${io.displayName ?? 'gym eval run'} starts the servers of its config: name them (e.g. --environment workplace_assistant --model-type openai_model, or --config FILE), or pass --no-serve to collect through running servers.`,
      );
    }
    if (mode.serve === 'no-serve' && !running) {
      throw new UsageError(`No head server answers at ${headServerUrl}. Start the servers with gym env start (or pass +head_server={host: ..., port: ...}), or drop --no-serve to start them for this run.`);
    }
    if (hosts.length > 0) {
      headServerUrl = hosts[0]!;
      for (const url of hosts) await describeRunningServers(url, command, io);
    } else if (command.loaded.configPaths.length > 0 && !running && mode.serve !== 'no-serve') {
      io.stderr('No head server is running; starting the servers of +config_paths for this run.\n');
      embedded = await startEmbeddedServers(
        { argv, cwd: io.cwd, env: io.env, installRoot: INSTALL_ROOT, command: 'ng_collect_rollouts', extraOptionKeys: COLLECT_OPTION_KEYS, endpointCheck: 'strict' },
        logger,
      );
      printServers(embedded, { ...io, stdout: io.stderr });
      headServerUrl = embedded.headServerUrl;
    } else {
      await describeRunningServers(headServerUrl, command, io);
    }
    const abort = new AbortController();
    io.signal.addEventListener('abort', () => abort.abort(), { once: true });
    summary = await collectRollouts(options, { headServerUrl, ...(hosts.length > 1 ? { headServerUrls: hosts } : {}) }, {
      onProgress: (progress) => bar.update(progress),
      onNotice: (message) => io.stderr(`note: ${redact(message)}\n`),
      signal: abort.signal,
      redact,
      outputLock: lock,
    }, logger);
  } catch (error) {
    // Ctrl-C while the servers start or the rows are read: nothing was collected, and that is no error.
    if (!io.signal.aborted) throw error;
    io.stdout('Collection cancelled before any rollout was collected.\n');
    return EXIT_CODES.cancelled;
  } finally {
    bar.finish();
    await embedded?.stop();
    lock.release();
  }
  printSummary(summary, option('disable_aggregation') === true, io);
  return collectionExitCode(summary);
}

/**
 * Says which running servers a collection uses. With +config_paths, the running deployment must be the one the
 * config describes: a different one (another person's servers, another model) is an error, not a silent switch.
 */
async function describeRunningServers(headServerUrl: string, command: CommandConfig, io: CliIO): Promise<void> {
  const client = new HttpClient({ maxSockets: 1 });
  let config: Record<string, unknown>;
  try {
    config = await fetchGlobalConfig(headServerUrl, client);
  } finally {
    client.close();
  }
  if (command.loaded.configPaths.length > 0) {
    const differences = deploymentDifferences(command.config, config, command.secrets, io.env);
    if (differences.length > 0) {
      throw new UsageError(
        `A head server is already running at ${headServerUrl}, with a different configuration than +config_paths asks for:\n  ${differences.join('\n  ')}\n` +
          'Stop those servers, pass +head_server={host: 127.0.0.1, port: <a free port>} to start this run\'s own, or drop +config_paths to collect through the running ones.',
      );
    }
  }
  const servers = discoverServers(config);
  const agents = servers.filter((server) => server.serverType === 'responses_api_agents').map((server) => `${server.name} (${server.url})`);
  const model = typeof config.policy_model_name === 'string' ? ` Policy model: ${config.policy_model_name}.` : '';
  io.stderr(`${command.redact(`Using the servers already running at ${headServerUrl}. Agents: ${agents.join(', ') || 'none'}.${model}`)}\n`);
}

/**
 * The exit code tells how the run ended: 0 every rollout written; 3 finished, with failures in
 * `<stem>_failures.jsonl`; 4 stopped early (a failure that repeats for every rollout, or an output that cannot be
 * written), the rest left for +resume_from_cache=true; 130 cancelled (Ctrl-C). Errors before collecting: 1.
 */
export const EXIT_CODES = { complete: 0, error: 1, finishedWithFailures: 3, stopped: 4, cancelled: 130 } as const;

export function collectionExitCode(summary: CollectionSummary): number {
  if (summary.stop?.kind === 'cancelled') return EXIT_CODES.cancelled;
  if (summary.stop !== null || summary.notAttempted > 0) return EXIT_CODES.stopped;
  return summary.failed > 0 ? EXIT_CODES.finishedWithFailures : EXIT_CODES.complete;
}

/** `+head_servers=[{host: H, port: P}, ...]`: the environment hosts' head server URLs (none when not given). */
function headServersOption(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const entries = Array.isArray(value) ? value : [value];
  return entries.map((entry) => {
    const { host, port } = (typeof entry === 'object' && entry !== null ? entry : {}) as { host?: unknown; port?: unknown };
    if ((host !== undefined && typeof host !== 'string') || !(typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port)))) {
      throw new UsageError(`+head_servers should be a list of {host: ..., port: ...}, e.g. '+head_servers=[{host: 10.0.0.1, port: 11000}, {host: 10.0.0.2, port: 11000}]', not ${JSON.stringify(entry)}.`);
    }
    return `http://${host ?? '127.0.0.1'}:${port}`;
  });
}

/** `+num_shards` / `+shard_index`, checked before anything starts. */
function shardOptions(numShardsValue: unknown, shardIndexValue: unknown): Pick<CollectionOptions, 'numShards' | 'shardIndex'> {
  const numShards = intOption(numShardsValue, 'num_shards') ?? null;
  const shardIndex = intOption(shardIndexValue, 'shard_index') ?? null;
  try {
    shardSelection(numShards, shardIndex);
  } catch (error) {
    if (error instanceof ShardSelectionError) throw new UsageError(`ng_collect_rollouts: ${error.message}`);
    throw error;
  }
  return { numShards, shardIndex };
}

/** The task file: relative to the working folder; NeMo Gym's example files (its README's commands) name our copy. */
function inputPath(input: string, io: CliIO): string {
  const path = resolvePath(io.cwd, input);
  const alias = existsSync(path) ? undefined : nemoGymDataAlias(input);
  if (alias === undefined) return path;
  io.stderr(`note: ${input} is NeMo Gym's example task file; using Gym Rollouts' copy, ${alias}.\n`);
  return resolvePath(INSTALL_ROOT, alias);
}

async function headServerAnswers(url: string): Promise<boolean> {
  const client = new HttpClient({ maxSockets: 1 });
  try {
    await client.get(`${url}/`, { timeoutMs: 1000 });
    return true;
  } catch {
    return false;
  } finally {
    client.close();
  }
}

function printSummary(summary: CollectionSummary, noAggregation: boolean, io: CliIO): void {
  const lines = [headline(summary)];
  if (summary.stop?.kind === 'systemic_failure') {
    const { failure } = summary.stop;
    lines.push(`  cause:              ${failure.message}`, `  ${failure.advice}`);
  } else if (summary.stop?.kind === 'write_error') {
    lines.push(`  cause:              ${summary.stop.message}`, '  Free some space (or fix the disk), then run again with +resume_from_cache=true.');
  }
  const notAttempted = summary.notAttempted > 0 ? `, ${summary.notAttempted} not attempted` : '';
  lines.push(
    `  rollouts:           ${summary.done} written${summary.resumed > 0 ? ` (${summary.resumed} from an earlier run)` : ''}, ${summary.failed} failed${notAttempted}, ${summary.total} in all`,
    `  mean reward:        ${formatReward(summary.meanReward)} over written rollouts; ${formatReward(summary.meanRewardOverAttempted)} over all attempted (failures count as 0)`,
    `  time:               ${formatDuration(summary.elapsedSeconds)} (${summary.rolloutsPerSecond.toFixed(2)} rollouts/s)`,
    `  output:             ${summary.outputJsonlPath}`,
    `  materialized input: ${summary.materializedInputsPath}`,
    ...(summary.failed > 0 ? [`  failures:           ${summary.failuresPath}`] : []),
    ...(noAggregation || !summary.aggregateMetricsWritten ? [] : [`  metrics:            ${summary.aggregateMetricsPath}`]),
  );
  for (const endpoint of summary.endpoints ?? []) lines.push(`  ${formatEndpoint(endpoint)}`);
  for (const category of summary.byCategory.filter((c) => c.category !== '')) {
    lines.push(`    ${category.category}: ${category.done}/${category.total} mean reward ${category.meanReward === null ? '–' : category.meanReward.toFixed(3)}${category.failed > 0 ? `, ${category.failed} failed` : ''}`);
  }
  io.stdout(`${lines.join('\n')}\n`);
}

function headline(summary: CollectionSummary): string {
  const resume = 'run again with +resume_from_cache=true to collect the rest';
  switch (summary.stop?.kind) {
    case 'cancelled':
      return `Collection cancelled; ${resume}.`;
    case 'systemic_failure':
      return `Collection STOPPED after ${summary.stop.failure.occurrences} rollouts failed the same way; nothing more was sent. Fix the cause, then ${resume}.`;
    case 'write_error':
      return `Collection STOPPED: an output file cannot be written; ${resume} once it can.`;
    default:
      return summary.failed > 0 ? `Collection finished with ${summary.failed} failed rollout${summary.failed === 1 ? '' : 's'} (see the failures file).` : 'Collection finished.';
  }
}

/** One endpoint's figures (its URL has no credentials or query: see endpoint_pool.ts `displayUrl`). */
export function formatEndpoint(endpoint: EndpointReport): string {
  const role = endpoint.role === 'policy' ? 'policy endpoint' : 'environment host';
  const latency = endpoint.latencyP50Ms === null ? '–' : `${endpoint.latencyP50Ms.toFixed(0)} ms`;
  const out = endpoint.ejections > 0 ? `, taken out ${endpoint.ejections}×` : '';
  return `${role} ${endpoint.label}: ${endpoint.sessions} rollouts, ${endpoint.requests} requests, ${endpoint.errors} errors, p50 ${latency}${out}${endpoint.healthy ? '' : ' (DOWN)'}`;
}

function formatReward(value: number | null): string {
  return value === null ? '–' : value.toFixed(4);
}

/** A count below its least value is a usage error (NeMo Gym: "num_repeats must be >= 1"), not silently clamped. */
function atLeast(value: number | undefined, least: number, name: string, meaning = ''): number | undefined {
  if (value !== undefined && value < least) throw new UsageError(`+${name} must be >= ${least}${meaning}, got ${value}.`);
  return value;
}

/**
 * `+num_repeats`: a count, or NeMo Gym's per-agent dict (`{simple_agent: 32, swe_agent: 1, _default: 4}`); every
 * count at least 1 (NeMo Gym's checks and words). null means 1.
 */
function numRepeatsOption(value: unknown): NumRepeats {
  if (value === undefined || value === null) return 1;
  if (typeof value !== 'object' || Array.isArray(value)) return atLeast(intOption(value, 'num_repeats'), 1, 'num_repeats') ?? 1;
  const counts: Record<string, number> = {};
  const bad: string[] = [];
  for (const [agent, count] of Object.entries(value as Record<string, unknown>)) {
    const n = intOption(count, `num_repeats.${agent}`)!;
    if (n < 1) bad.push(`${pyStrRepr(agent)}: ${n}`);
    counts[agent] = n;
  }
  if (bad.length > 0) throw new UsageError(`num_repeats dict values must be >= 1, got {${bad.join(', ')}}`);
  return counts;
}
