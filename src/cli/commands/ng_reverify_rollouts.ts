import { existsSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, dirname, extname, join, resolve as resolvePath } from 'node:path';
import { collectAggregateMetrics, PersistedResults } from '../../core/collect/aggregate';
import { objectMembers } from '../../core/collect/json_members';
import { outputPaths } from '../../core/collect/output_paths';
import { dumpOrjson } from '../../core/python/json_dump';
import { startEmbeddedServers } from '../../core/servers/embedded';
import { HttpClient } from '../../core/servers/http/http_client';
import { stderrLogger, type CliIO } from '../cli_io';
import { boolOption, INSTALL_ROOT, intOption, loadCommandConfig, stringOption, UsageError } from '../command_config';
import { printKeyMetrics } from './key_metrics';

const OPTION_KEYS = [
  'materialized_inputs_jsonl_fpath',
  'rollouts_jsonl_fpath',
  'output_jsonl_fpath',
  'num_samples_in_parallel',
  'limit',
  'force',
  'overwrite',
  'resume_from_cache',
  'disable_aggregation',
  'judge_failed_only',
  'append',
  'verbose',
];

export const REVERIFY_HELP = `gym eval reverify --inputs <stem>_materialized_inputs.jsonl --rollouts <rollouts.jsonl> [-o OUT]
(ng_reverify_rollouts): verify each stored rollout again with the current environment (no model call): the
resources server of the config (default: the workplace_assistant environment, configs/workplace_assistant.yaml) is
started for the run on free ports, each (input row, rollout response) is POSTed to its /verify, and the rollouts with
their new rewards go to OUT (default <rollouts stem>_reverified.jsonl), with OUT's _aggregate_metrics.json. The
rewards that changed are listed. --overwrite replaces OUT, --resume completes it; --limit N, --concurrency N.`;

interface Pair {
  task: number;
  rollout: number;
  agentRef: string;
  payload: string;
  /** The reward as the rollout file spells it (`1.0`). */
  oldReward: string;
  id: unknown;
}

/** `gym eval reverify`. */
export async function runNgReverifyRollouts(argv: string[], io: CliIO): Promise<number> {
  const command = loadCommandConfig('ng_reverify_rollouts', argv, io, [...OPTION_KEYS, 'head_server'], false);
  if (command.wantsHelp) {
    io.stdout(`${REVERIFY_HELP}\n`);
    return 0;
  }
  const { option } = command;
  if (option('judge_failed_only') === true || option('append') === true) {
    throw new UsageError('--judge-failed-only and --append are not available in Gym Rollouts: workplace_assistant has no LLM judge whose failures could be recovered.');
  }
  const inputsOption = stringOption(option('materialized_inputs_jsonl_fpath'), 'materialized_inputs_jsonl_fpath');
  const rolloutsOption = stringOption(option('rollouts_jsonl_fpath'), 'rollouts_jsonl_fpath');
  if (!inputsOption) throw new UsageError('the materialized inputs are required: --inputs FILE (+materialized_inputs_jsonl_fpath=FILE).');
  if (!rolloutsOption) throw new UsageError('the rollouts are required: --rollouts FILE (+rollouts_jsonl_fpath=FILE).');
  const rolloutsPath = resolvePath(io.cwd, rolloutsOption);
  const inputsPath = resolvePath(io.cwd, inputsOption);
  const outputOption = stringOption(option('output_jsonl_fpath'), 'output_jsonl_fpath');
  const requestedOutput = outputOption
    ? resolvePath(io.cwd, outputOption)
    : join(dirname(rolloutsPath), `${basename(rolloutsPath, extname(rolloutsPath))}_reverified.jsonl`);
  const resume = boolOption(option('resume_from_cache'), 'resume_from_cache') ?? false;
  const pairs = readPairs(inputsPath, rolloutsPath, intOption(option('limit'), 'limit') ?? null);

  const serverArgv = [...argv];
  if (command.loaded.configPaths.length === 0) {
    io.stderr('note: no config given; verifying with the workplace_assistant environment (configs/workplace_assistant.yaml).\n');
    serverArgv.push('+config_paths=[configs/workplace_assistant.yaml]');
  }
  if (command.config.head_server === undefined) serverArgv.push(`++head_server={host: 127.0.0.1, port: ${await freePort()}}`);
  serverArgv.push('++skip_endpoint_check=true');
  const logger = stderrLogger(io, option('verbose') === true);
  const running = await startEmbeddedServers({ argv: serverArgv, cwd: io.cwd, env: io.env, installRoot: INSTALL_ROOT, command: 'ng_reverify_rollouts', extraOptionKeys: OPTION_KEYS }, logger);
  const client = new HttpClient({ inProcess: true });
  try {
    const routes = resourcesServerRoutes(command.config, running.servers);
    const unsafe = await reverifyGuard(client, routes, option('force') === true, io);
    const output = unsafe ? join(dirname(requestedOutput), `unsafe_${basename(requestedOutput)}`) : requestedOutput;
    const paths = outputPaths(output);
    prepareOutput(paths.output, paths.failures, resume, option('overwrite') === true, io);
    const done = resume && existsSync(paths.output) ? keysIn(paths.output) : new Set<string>();
    const todo = pairs.filter((pair) => !done.has(`${pair.task}:${pair.rollout}`));
    if (resume) io.stdout(`Resumed: ${pairs.length - todo.length} of ${pairs.length} rollouts already verified again in ${paths.output}.\n`);

    const changes: string[] = [];
    let failed = 0;
    const parallel = Math.max(1, intOption(option('num_samples_in_parallel'), 'num_samples_in_parallel') ?? 16);
    let next = 0;
    const worker = async () => {
      while (next < todo.length && !io.signal.aborted) {
        const pair = todo[next++]!;
        const url = routes.get(pair.agentRef) ?? routes.get('*');
        if (!url) throw new UsageError(`No resources server is configured for agent ${pair.agentRef} (task ${pair.task}, rollout ${pair.rollout}).`);
        const answer = await client.post(`${url}/verify`, pair.payload, { timeoutMs: 120_000 });
        const stamps = `"_ng_task_index":${pair.task},"_ng_rollout_index":${pair.rollout},"agent_ref":${JSON.stringify({ name: pair.agentRef })}`;
        if (answer.status !== 200) {
          failed++;
          const failure = { _ng_task_index: pair.task, _ng_rollout_index: pair.rollout, agent_ref: { name: pair.agentRef }, _ng_failure_class: 'verify_error', _ng_failure_message: `HTTP ${answer.status} from /verify: ${answer.bodyText.slice(0, 2000)}`, _ng_failure_terminal: false };
          await appendFile(paths.failures, `${JSON.stringify(failure)}\n`);
          continue;
        }
        const body = answer.bodyText.trim();
        await appendFile(paths.output, `${body === '{}' ? `{${stamps}}` : `${body.slice(0, -1)},${stamps}}`}\n`);
        const newReward = objectMembers(body).find((member) => member.key === 'reward')?.value ?? 'None';
        if (Number(newReward) !== Number(pair.oldReward) || (Number.isNaN(Number(newReward)) && newReward !== pair.oldReward)) {
          changes.push(`task ${pair.task} rollout ${pair.rollout}${pair.id !== undefined ? ` (id ${JSON.stringify(pair.id)})` : ''}: ${pair.oldReward} -> ${newReward}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, Math.max(1, todo.length)) }, worker));

    let metricsPath: string | null = null;
    if (!(boolOption(option('disable_aggregation'), 'disable_aggregation') ?? false) && existsSync(paths.output)) {
      const persisted = new PersistedResults();
      const lines = readFileSync(paths.output, 'utf8').split('\n').filter((line) => line.trim() !== '');
      const keyed = lines.map((line) => ({ line, key: JSON.parse(line) as { _ng_task_index: number; _ng_rollout_index: number } }));
      keyed.sort((a, b) => a.key._ng_task_index - b.key._ng_task_index || a.key._ng_rollout_index - b.key._ng_rollout_index);
      for (const { line } of keyed) persisted.addLine(line);
      const metrics = await collectAggregateMetrics(persisted, null, null, logger);
      if (metrics !== null) {
        await writeFile(paths.aggregateMetrics, dumpOrjson(metrics, { indent2: true }));
        metricsPath = paths.aggregateMetrics;
        printKeyMetrics(metrics, io);
      }
    }
    changes.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    io.stdout(
      `Finished re-verification of ${todo.length - failed} rollout(s)${failed > 0 ? ` (${failed} failed: ${paths.failures})` : ''}. View results at:\n` +
        `Re-verified rollouts: ${paths.output}\nAggregate metrics: ${metricsPath ?? 'None'}\n` +
        (changes.length === 0 ? 'No reward changed.\n' : `${changes.length} reward(s) changed:\n${changes.map((change) => `  ${change}\n`).join('')}`),
    );
    if (unsafe) io.stdout(`${unsafe}\n`);
    if (io.signal.aborted) return 130;
    return failed > 0 ? 3 : 0;
  } finally {
    client.close();
    await running.stop();
  }
}

/** Each rollout with its materialized input row: NeMo Gym's verify payload is the input row with the rollout's `response`. */
function readPairs(inputsPath: string, rolloutsPath: string, limit: number | null): Pair[] {
  for (const [path, flag] of [[inputsPath, '--inputs'], [rolloutsPath, '--rollouts']] as const) {
    if (!existsSync(path)) throw new UsageError(`Input file not found: '${path}' (${flag}). Check the path is spelled correctly.`);
  }
  const inputs = new Map<string, { text: string; agentRef: string }>();
  forEachLine(inputsPath, (text, value, line) => {
    const agentRef = (value.agent_ref as { name?: unknown } | undefined)?.name;
    if (typeof agentRef !== 'string') throw new UsageError(`${inputsPath}:${line}: agent_ref.name is missing.`);
    inputs.set(`${String(value._ng_task_index)}:${String(value._ng_rollout_index)}`, { text, agentRef });
  });
  const pairs: Pair[] = [];
  forEachLine(rolloutsPath, (text, value, line) => {
    if (limit !== null && limit > 0 && pairs.length >= limit) return;
    const key = `${String(value._ng_task_index)}:${String(value._ng_rollout_index)}`;
    const input = inputs.get(key);
    if (!input) throw new UsageError(`${rolloutsPath}:${line}: no materialized input row for rollout (task ${String(value._ng_task_index)}, rollout ${String(value._ng_rollout_index)}) in ${inputsPath}.`);
    const response = objectMembers(text).find((member) => member.key === 'response');
    if (!response) throw new UsageError(`${rolloutsPath}:${line}: the rollout has no response to verify.`);
    const kept = objectMembers(input.text).filter((member) => member.key !== 'response').map((member) => member.text);
    pairs.push({
      task: value._ng_task_index as number,
      rollout: value._ng_rollout_index as number,
      agentRef: input.agentRef,
      payload: `{${[...kept, `"response":${response.value}`].join(',')}}`,
      oldReward: objectMembers(text).find((member) => member.key === 'reward')?.value ?? 'None',
      id: value.id,
    });
  });
  return pairs;
}

function forEachLine(path: string, visit: (text: string, value: Record<string, unknown>, line: number) => void): void {
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      const text = raw.trim();
      if (text === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new UsageError(`Malformed JSON in '${path}' at line ${index + 1}: ${(error as Error).message}`);
      }
      const record = value as Record<string, unknown>;
      if (typeof value !== 'object' || value === null || !Number.isInteger(record._ng_task_index) || !Number.isInteger(record._ng_rollout_index)) {
        throw new UsageError(`${path}:${index + 1}: a line needs integer _ng_task_index and _ng_rollout_index.`);
      }
      visit(text, record, index + 1);
    });
}

/**
 * Which resources server verifies each agent's rollouts: the one its agent block names; with a config of resources
 * servers only, the single one (`*`). NeMo Gym's `_build_agent_to_resources_server_mapping`.
 */
function resourcesServerRoutes(config: Record<string, unknown>, servers: ReadonlyArray<{ name: string; kind: string; url: string }>): Map<string, string> {
  const urls = new Map(servers.filter((server) => server.kind === 'resources_servers').map((server) => [server.name, server.url]));
  const routes = new Map<string, string>();
  for (const [name, block] of Object.entries(config)) {
    const agents = (block as { responses_api_agents?: Record<string, { resources_server?: { name?: unknown } }> } | null)?.responses_api_agents;
    if (!agents || typeof agents !== 'object') continue;
    const target = Object.values(agents)[0]?.resources_server?.name;
    if (typeof target === 'string' && urls.has(target)) routes.set(name, urls.get(target)!);
  }
  if (routes.size === 0 && urls.size === 1) routes.set('*', [...urls.values()][0]!);
  if (routes.size === 0) throw new UsageError(`reverify: ${urls.size === 0 ? 'no resources server found in the config' : `several resources servers (${[...urls.keys()].join(', ')}) and no agent blocks to route by`}.`);
  return routes;
}

/**
 * NeMo Gym's reverify_mode guard: every resources server used must answer `GET /reverify_mode` with `stateless`;
 * otherwise --force is needed, and the output is then prefixed `unsafe_`. Returns the warning for a forced run.
 */
async function reverifyGuard(client: HttpClient, routes: Map<string, string>, force: boolean, io: CliIO): Promise<string | null> {
  const notStateless: string[] = [];
  for (const url of new Set(routes.values())) {
    let mode = 'unknown';
    try {
      const answer = await client.get(`${url}/reverify_mode`, { timeoutMs: 10_000 });
      if (answer.status === 200) mode = String(JSON.parse(answer.bodyText));
    } catch {
      // no answer: unknown
    }
    if (mode !== 'stateless') notStateless.push(url);
  }
  if (notStateless.length === 0) return null;
  if (!force) {
    throw new UsageError(`Resource server(s) ${notStateless.join(', ')} have reverify_mode=UNSUPPORTED or UNKNOWN. Rewards computed by reverification may be incorrect. Pass --force to override (output will be prefixed with 'unsafe_').`);
  }
  const warning = `WARNING: resource server(s) ${notStateless.join(', ')} have reverify_mode=UNSUPPORTED or UNKNOWN. Rewards computed by reverification may be incorrect. Output is prefixed with 'unsafe_'.`;
  io.stderr(`${warning}\n`);
  return warning;
}

function prepareOutput(output: string, failures: string, resume: boolean, overwrite: boolean, io: CliIO): void {
  if (resume) return;
  for (const path of [output, failures]) {
    if (!existsSync(path)) continue;
    if (!overwrite) throw new UsageError(`Output file already exists: '${path}'. Pass --overwrite to delete it and start fresh, or --resume to continue from it.`);
    rmSync(path);
    io.stdout(`Deleted existing output file: '${path}'\n`);
  }
}

function keysIn(path: string): Set<string> {
  const keys = new Set<string>();
  forEachLine(path, (_text, value) => keys.add(`${String(value._ng_task_index)}:${String(value._ng_rollout_index)}`));
  return keys;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
