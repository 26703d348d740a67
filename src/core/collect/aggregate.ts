import type { Logger } from '../logger';
import { computeAggregateMetrics } from '../metrics/reward_profiler';
import { parsePythonJson } from '../python/json_parse';
import { isPyDict, pyDict, type PyDict, type PyValue } from '../python/value';
import type { HttpClient } from '../servers/http/http_client';
import type { CollectionTarget } from './api';
import { discoverServers, fetchGlobalConfig } from './head_discovery';
import { objectMembers } from './json_members';

/**
 * `<stem>_aggregate_metrics.json` as NeMo Gym writes it (rollout_collection.py `_call_aggregate_metrics`): one
 * entry per agent, `{agent_ref, agent_metrics, key_metrics, group_level_metrics}`, from that agent's
 * `/aggregate_metrics` answer over the rollouts persisted in the output file (so a resumed run counts everything,
 * and nothing that was not written). When an agent cannot be asked, the same figures are computed here.
 * Null when there is no rollout (NeMo Gym writes no file then).
 */
export async function collectAggregateMetrics(
  persisted: PersistedResults,
  target: CollectionTarget | null,
  client: HttpClient | null,
  logger: Logger,
): Promise<PyValue[] | null> {
  if (persisted.byAgent.size === 0) return null;
  let agentUrls = new Map<string, string>();
  if (target && client) {
    try {
      const servers = discoverServers(await fetchGlobalConfig(target.headServerUrl, client));
      agentUrls = new Map(servers.filter((s) => s.serverType === 'responses_api_agents').map((s) => [s.name, s.url]));
    } catch (error) {
      logger.warn(`Computing aggregate metrics locally: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const entries: PyValue[] = [];
  for (const [name, texts] of persisted.byAgent) {
    const body = `{"verify_responses":[${texts.join(',')}]}`;
    let metrics: PyDict | null = null;
    const url = agentUrls.get(name);
    if (url && client) {
      try {
        const answer = await client.post(`${url}/aggregate_metrics`, body, { timeoutMs: 60_000 });
        if (answer.status === 200) metrics = asDict(parsePythonJson(answer.bodyText));
        else logger.warn(`${name}/aggregate_metrics answered HTTP ${answer.status}; computing the metrics locally`);
      } catch (error) {
        logger.warn(`${name}/aggregate_metrics failed (${error instanceof Error ? error.message : String(error)}); computing the metrics locally`);
      }
    }
    metrics ??= localAggregateMetrics(texts);
    entries.push(
      pyDict([
        ['agent_ref', pyDict([['name', name]])],
        ['agent_metrics', metrics.get('agent_metrics') ?? pyDict()],
        ['key_metrics', metrics.get('key_metrics') ?? pyDict()],
        ['group_level_metrics', metrics.get('group_level_metrics') ?? []],
      ]),
    );
  }
  return entries;
}

/** What a resources server's `/aggregate_metrics` answers for these stripped results. */
export function localAggregateMetrics(strippedTexts: readonly string[]): PyDict {
  return computeAggregateMetrics(strippedTexts.map((text) => asDict(parsePythonJson(text))));
}

function asDict(value: PyValue): PyDict {
  if (!isPyDict(value)) throw new Error('expected a JSON object');
  return value;
}

/** What NeMo Gym leaves out of the results it sends to `/aggregate_metrics`; `reward_explanation` is ours. */
const HEAVY_FIELDS = new Set(['response', 'responses_create_params', 'ng_agent_observations', 'ng_model_call_capture', 'ng_trajectory', 'reward_explanation']);

/**
 * One rollout line without its conversation: every other field as written (numbers keep their spelling), and
 * `response: {usage}` when the usage is not empty. Also the agent's name, for grouping.
 */
export function strippedResult(line: string): { agent: string; text: string } {
  const kept: string[] = [];
  let usage: string | null = null;
  let agent = 'agent';
  for (const member of objectMembers(line)) {
    if (member.key === 'response') {
      if (member.value.startsWith('{')) usage = objectMembers(member.value).find((m) => m.key === 'usage')?.value ?? null;
      continue;
    }
    if (HEAVY_FIELDS.has(member.key)) continue;
    if (member.key === 'agent_ref' && member.value.startsWith('{')) {
      const name = (JSON.parse(member.value) as { name?: unknown }).name;
      if (typeof name === 'string') agent = name;
    }
    kept.push(member.text);
  }
  if (usage !== null && isTruthyJson(usage)) kept.push(`"response":{"usage":${usage}}`);
  return { agent, text: `{${kept.join(',')}}` };
}

/** Python truthiness of a JSON value's text. */
function isTruthyJson(text: string): boolean {
  return !['{}', '[]', 'null', 'false', '0', '0.0', '""'].includes(text.replace(/\s+/g, ''));
}

/**
 * The results written to the output file, kept stripped (a few fields each) as they are written, so the metrics
 * cover exactly the persisted rollouts — resumed ones included — without reading the file again.
 */
export class PersistedResults {
  readonly byAgent = new Map<string, string[]>();

  /** A line of the output file (or one about to be written to it). */
  addLine(line: string): void {
    const { agent, text } = strippedResult(line);
    let list = this.byAgent.get(agent);
    if (!list) this.byAgent.set(agent, (list = []));
    list.push(text);
  }
}
