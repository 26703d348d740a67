import type { JsonObject } from '../json_object';
import type { Logger } from '../logger';
import type { HttpClient } from '../servers/http/http_client';
import type { CollectionTarget } from './api';
import { discoverServers, fetchGlobalConfig } from './head_discovery';
import { computeAggregateMetrics, type AggregateMetrics } from './metrics';

export interface AgentAggregateMetrics extends AggregateMetrics {
  agent_ref: { name: string };
}

/**
 * `<stem>_aggregate_metrics.json`: for each agent, its `/aggregate_metrics` answer over the rollouts persisted
 * in the output file (so resumed runs count everything, and nothing that was not written). Each result is sent
 * stripped of the conversation, keeping `response.usage` (NEMO_GYM_PROTOCOL.md §5.8). When an agent cannot be
 * asked, the same figures are computed here.
 */
export async function collectAggregateMetrics(
  persisted: PersistedResults,
  target: CollectionTarget,
  client: HttpClient,
  logger: Logger,
): Promise<AgentAggregateMetrics[]> {
  const byAgent = persisted.byAgent;
  let agentUrls = new Map<string, string>();
  try {
    const servers = discoverServers(await fetchGlobalConfig(target.headServerUrl, client));
    agentUrls = new Map(servers.filter((s) => s.serverType === 'responses_api_agents').map((s) => [s.name, s.url]));
  } catch (error) {
    logger.warn(`Computing aggregate metrics locally: ${error instanceof Error ? error.message : String(error)}`);
  }
  const entries: AgentAggregateMetrics[] = [];
  for (const [name, results] of byAgent) {
    let metrics: AggregateMetrics = computeAggregateMetrics(results);
    const url = agentUrls.get(name);
    if (url) {
      try {
        const answer = await client.post(`${url}/aggregate_metrics`, JSON.stringify({ verify_responses: results }), { timeoutMs: 60_000 });
        if (answer.status === 200) metrics = JSON.parse(answer.bodyText) as AggregateMetrics;
        else logger.warn(`${name}/aggregate_metrics answered HTTP ${answer.status}; computing the metrics locally`);
      } catch (error) {
        logger.warn(`${name}/aggregate_metrics failed (${error instanceof Error ? error.message : String(error)}); computing the metrics locally`);
      }
    }
    entries.push({ agent_ref: { name }, agent_metrics: metrics.agent_metrics, key_metrics: metrics.key_metrics, group_level_metrics: metrics.group_level_metrics });
  }
  return entries;
}

/**
 * The results written to the output file, kept stripped (a few numbers each) as they are written, so the
 * metrics cover exactly the persisted rollouts — resumed ones included — without reading the file again.
 */
export class PersistedResults {
  readonly byAgent = new Map<string, JsonObject[]>();

  add(record: JsonObject): void {
    const agentRef = record.agent_ref;
    const name = typeof agentRef === 'object' && agentRef !== null && typeof (agentRef as JsonObject).name === 'string' ? ((agentRef as JsonObject).name as string) : 'agent';
    let list = this.byAgent.get(name);
    if (!list) this.byAgent.set(name, (list = []));
    list.push(strip(record));
  }
}

/** A result without the conversation: numeric fields, indices, and `response.usage` when present. */
function strip(record: JsonObject): JsonObject {
  const stripped: JsonObject = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'response' || key === 'responses_create_params' || key === 'reward_explanation' || key === 'ground_truth') continue;
    if (key === 'ng_agent_observations' || key === 'ng_model_call_capture' || key === 'ng_trajectory') continue;
    stripped[key] = value;
  }
  const response = record.response;
  if (typeof response === 'object' && response !== null && 'usage' in response) stripped.response = { usage: (response as JsonObject).usage };
  return stripped;
}
