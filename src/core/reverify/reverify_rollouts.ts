import { existsSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { collectAggregateMetrics, PersistedResults } from '../collect/aggregate';
import { objectMembers } from '../collect/json_members';
import { outputPaths } from '../collect/output_paths';
import { readKeyedJsonlLines } from '../collect/read_jsonl';
import type { Logger } from '../logger';
import type { PyValue } from '../python/value';
import { dumpOrjson } from '../python/json_dump';
import type { HttpClient } from '../servers/http/http_client';

/**
 * NeMo Gym's `ng_reverify_rollouts`: each stored rollout is verified again (no model call) by POSTing its
 * materialized input row with the rollout's `response` to the resources server's `/verify`; the answers go to a new
 * file with its aggregate metrics, and the rewards that changed are reported. Shared by `gym eval reverify` and the
 * editor (through its host process).
 */

/** A problem with the request's files or config (the CLI reports it as a usage error). */
export class ReverifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReverifyInputError';
  }
}

interface Pair {
  task: number;
  rollout: number;
  agentRef: string;
  payload: string;
  /** The reward as the rollout file spells it (`1.0`). */
  oldReward: string;
  id: unknown;
}

/** One reward that is not what the rollout file says. */
export interface RewardChange {
  task: number;
  rollout: number;
  id: string | number | null;
  /** As the files spell them (`1.0`, `0.0`, `None`). */
  oldReward: string;
  newReward: string;
}

export interface ReverifyRequest {
  rolloutsPath: string;
  /** `<stem>_materialized_inputs.jsonl` of the rollouts. */
  inputsPath: string;
  outputPath: string;
  limit?: number | null;
  parallel?: number;
  resume?: boolean;
  overwrite?: boolean;
  force?: boolean;
  disableAggregation?: boolean;
}

export interface ReverifyResult {
  /** `unsafe_`-prefixed when forced past a resources server that is not stateless. */
  outputPath: string;
  failuresPath: string;
  metricsPath: string | null;
  metrics: PyValue[] | null;
  /** Rollouts asked for, those already in the output (resume), verified now, and failed. */
  total: number;
  alreadyDone: number;
  verified: number;
  failed: number;
  /** Sorted by task, then rollout. */
  changes: RewardChange[];
  unsafeWarning: string | null;
  cancelled: boolean;
}

export interface ReverifyHooks {
  signal?: AbortSignal;
  logger: Logger;
  /** Things a person should know (an output file deleted for --overwrite). */
  note?(message: string): void;
}

/** The default output: `<rollouts stem>_reverified.jsonl` beside the rollouts. */
export function defaultReverifyOutput(rolloutsPath: string): string {
  return join(dirname(rolloutsPath), `${basename(rolloutsPath, extname(rolloutsPath))}_reverified.jsonl`);
}

/** Each rollout with its materialized input row: NeMo Gym's verify payload is the input row with the rollout's `response`. */
function readPairs(inputsPath: string, rolloutsPath: string, limit: number | null): Pair[] {
  for (const [path, flag] of [[inputsPath, '--inputs'], [rolloutsPath, '--rollouts']] as const) {
    if (!existsSync(path)) throw new ReverifyInputError(`Input file not found: '${path}' (${flag}). Check the path is spelled correctly.`);
  }
  const inputs = new Map<string, { text: string; agentRef: string }>();
  forEachLine(inputsPath, (text, value, line) => {
    const agentRef = (value.agent_ref as { name?: unknown } | undefined)?.name;
    if (typeof agentRef !== 'string') throw new ReverifyInputError(`${inputsPath}:${line}: agent_ref.name is missing.`);
    inputs.set(`${String(value._ng_task_index)}:${String(value._ng_rollout_index)}`, { text, agentRef });
  });
  const pairs: Pair[] = [];
  forEachLine(rolloutsPath, (text, value, line) => {
    if (limit !== null && limit > 0 && pairs.length >= limit) return;
    const key = `${String(value._ng_task_index)}:${String(value._ng_rollout_index)}`;
    const input = inputs.get(key);
    if (!input) throw new ReverifyInputError(`${rolloutsPath}:${line}: no materialized input row for rollout (task ${String(value._ng_task_index)}, rollout ${String(value._ng_rollout_index)}) in ${inputsPath}.`);
    const response = objectMembers(text).find((member) => member.key === 'response');
    if (!response) throw new ReverifyInputError(`${rolloutsPath}:${line}: the rollout has no response to verify.`);
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
  const lines = readKeyedJsonlLines(path, {
    malformed: (line, reason) => new ReverifyInputError(`Malformed JSON in '${path}' at line ${line}: ${reason}`),
    unkeyed: (line) => new ReverifyInputError(`${path}:${line}: a line needs integer _ng_task_index and _ng_rollout_index.`),
  });
  for (const { text, record, line } of lines) visit(text, record, line);
}

/**
 * Which resources server verifies each agent's rollouts: the one its agent block names; with a config of resources
 * servers only, the single one (`*`). NeMo Gym's `_build_agent_to_resources_server_mapping`.
 */
export function resourcesServerRoutes(config: Record<string, unknown>, servers: ReadonlyArray<{ name: string; kind: string; url: string }>): Map<string, string> {
  const urls = new Map(servers.filter((server) => server.kind === 'resources_servers').map((server) => [server.name, server.url]));
  const routes = new Map<string, string>();
  for (const [name, block] of Object.entries(config)) {
    const agents = (block as { responses_api_agents?: Record<string, { resources_server?: { name?: unknown } }> } | null)?.responses_api_agents;
    if (!agents || typeof agents !== 'object') continue;
    const target = Object.values(agents)[0]?.resources_server?.name;
    if (typeof target === 'string' && urls.has(target)) routes.set(name, urls.get(target)!);
  }
  if (routes.size === 0 && urls.size === 1) routes.set('*', [...urls.values()][0]!);
  if (routes.size === 0) throw new ReverifyInputError(`reverify: ${urls.size === 0 ? 'no resources server found in the config' : `several resources servers (${[...urls.keys()].join(', ')}) and no agent blocks to route by`}.`);
  return routes;
}

/**
 * NeMo Gym's reverify_mode guard: every resources server used must answer `GET /reverify_mode` with `stateless`;
 * otherwise `force` is needed, and the output is then prefixed `unsafe_`. Returns the warning for a forced run.
 */
async function reverifyGuard(client: HttpClient, routes: Map<string, string>, force: boolean): Promise<string | null> {
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
    throw new ReverifyInputError(`Resource server(s) ${notStateless.join(', ')} have reverify_mode=UNSUPPORTED or UNKNOWN. Rewards computed by reverification may be incorrect. Pass --force to override (output will be prefixed with 'unsafe_').`);
  }
  return `WARNING: resource server(s) ${notStateless.join(', ')} have reverify_mode=UNSUPPORTED or UNKNOWN. Rewards computed by reverification may be incorrect. Output is prefixed with 'unsafe_'.`;
}

function prepareOutput(output: string, failures: string, resume: boolean, overwrite: boolean, note: (message: string) => void): void {
  if (resume) return;
  for (const path of [output, failures]) {
    if (!existsSync(path)) continue;
    if (!overwrite) throw new ReverifyInputError(`Output file already exists: '${path}'. Pass --overwrite to delete it and start fresh, or --resume to continue from it.`);
    rmSync(path);
    note(`Deleted existing output file: '${path}'`);
  }
}

function keysIn(path: string): Set<string> {
  const keys = new Set<string>();
  forEachLine(path, (_text, value) => keys.add(`${String(value._ng_task_index)}:${String(value._ng_rollout_index)}`));
  return keys;
}

function rewardChanged(oldReward: string, newReward: string): boolean {
  return Number(newReward) !== Number(oldReward) || (Number.isNaN(Number(newReward)) && newReward !== oldReward);
}

/** Verifies the rollouts again through `routes` (agent name → resources server URL; `*` for any). */
export async function reverifyRollouts(request: ReverifyRequest, client: HttpClient, routes: Map<string, string>, hooks: ReverifyHooks): Promise<ReverifyResult> {
  const note = hooks.note ?? (() => undefined);
  const pairs = readPairs(request.inputsPath, request.rolloutsPath, request.limit ?? null);
  const unsafeWarning = await reverifyGuard(client, routes, request.force ?? false);
  const output = unsafeWarning ? join(dirname(request.outputPath), `unsafe_${basename(request.outputPath)}`) : request.outputPath;
  const paths = outputPaths(output);
  const resume = request.resume ?? false;
  prepareOutput(paths.output, paths.failures, resume, request.overwrite ?? false, note);
  const done = resume && existsSync(paths.output) ? keysIn(paths.output) : new Set<string>();
  const todo = pairs.filter((pair) => !done.has(`${pair.task}:${pair.rollout}`));

  const changes: RewardChange[] = [];
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < todo.length && !hooks.signal?.aborted) {
      const pair = todo[next++]!;
      const url = routes.get(pair.agentRef) ?? routes.get('*');
      if (!url) throw new ReverifyInputError(`No resources server is configured for agent ${pair.agentRef} (task ${pair.task}, rollout ${pair.rollout}).`);
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
      if (rewardChanged(pair.oldReward, newReward)) {
        changes.push({ task: pair.task, rollout: pair.rollout, id: typeof pair.id === 'string' || typeof pair.id === 'number' ? pair.id : null, oldReward: pair.oldReward, newReward });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, request.parallel ?? 16), Math.max(1, todo.length)) }, worker));

  let metricsPath: string | null = null;
  let metrics: PyValue[] | null = null;
  if (!(request.disableAggregation ?? false) && existsSync(paths.output)) {
    const persisted = new PersistedResults();
    const lines = readFileSync(paths.output, 'utf8').split('\n').filter((line) => line.trim() !== '');
    const keyed = lines.map((line) => ({ line, key: JSON.parse(line) as { _ng_task_index: number; _ng_rollout_index: number } }));
    keyed.sort((a, b) => a.key._ng_task_index - b.key._ng_task_index || a.key._ng_rollout_index - b.key._ng_rollout_index);
    for (const { line } of keyed) persisted.addLine(line);
    metrics = await collectAggregateMetrics(persisted, null, null, hooks.logger);
    if (metrics !== null) {
      await writeFile(paths.aggregateMetrics, dumpOrjson(metrics, { indent2: true }));
      metricsPath = paths.aggregateMetrics;
    }
  }
  changes.sort((a, b) => a.task - b.task || a.rollout - b.rollout);
  return {
    outputPath: paths.output,
    failuresPath: paths.failures,
    metricsPath,
    metrics,
    total: pairs.length,
    alreadyDone: pairs.length - todo.length,
    verified: todo.length - failed,
    failed,
    changes,
    unsafeWarning,
    cancelled: hooks.signal?.aborted ?? false,
  };
}

/** `task 3 rollout 1 (id "x"): 1.0 -> 0.0`, as `gym eval reverify` lists a change. */
export function describeChange(change: RewardChange): string {
  return `task ${change.task} rollout ${change.rollout}${change.id !== null ? ` (id ${JSON.stringify(change.id)})` : ''}: ${change.oldReward} -> ${change.newReward}`;
}
