import { displayUrl, EndpointPool } from '../endpoint_pool';
import type { HttpClient } from '../servers/http/http_client';
import type { EndpointReport } from './api';
import { reportOf } from './endpoint_reports';
import { discoverServers, fetchGlobalConfig, findAgent, type DiscoveredServer } from './head_discovery';
import type { AgentLease } from './run_rollout';

/** One environment host: its head server and the agents it runs. */
interface Host {
  headUrl: string;
  agents: Map<string, string>;
}

/**
 * The environment hosts of a collection (`+head_servers=[...]`, or the one head server): each host's agents are
 * found through its head server, and each rollout goes to a host chosen by the endpoint pool (least loaded,
 * healthy; a host that refuses or drops a connection is taken out and probed back through its head server), so a
 * rollout in flight on a host that dies is retried on another one. Hosts may be ours or NeMo Gym's: both answer
 * `/global_config_dict_yaml` and `/run` alike. A rollout's session state lives on its host, so a retry starts over.
 */
export class HeadPool {
  private constructor(
    private readonly pool: EndpointPool<Host>,
    readonly modelServers: DiscoveredServer[],
  ) {}

  static async open(headUrls: readonly string[], agentNames: ReadonlySet<string>, client: HttpClient, onHealthChange?: (label: string, healthy: boolean, reason: string) => void): Promise<HeadPool> {
    const hosts: Host[] = [];
    const modelServers = new Map<string, DiscoveredServer>();
    for (const headUrl of headUrls) {
      const servers = discoverServers(await fetchGlobalConfig(headUrl, client));
      const agents = new Map<string, string>();
      for (const name of agentNames) agents.set(name, findAgent(servers, name).url);
      hosts.push({ headUrl, agents });
      for (const server of servers) if (server.serverType === 'responses_api_models') modelServers.set(server.url, server);
    }
    const pool = new EndpointPool(
      hosts.map((host) => ({ label: displayUrl(host.headUrl), value: host })),
      {
        probe: async (label) => {
          const host = hosts.find((candidate) => displayUrl(candidate.headUrl) === label)!;
          try {
            return (await client.get(`${host.headUrl.replace(/\/+$/, '')}/`, { timeoutMs: 1000 })).status === 200;
          } catch {
            return false;
          }
        },
        ...(onHealthChange ? { onHealthChange } : {}),
      },
    );
    return new HeadPool(pool, [...modelServers.values()]);
  }

  get size(): number {
    return this.pool.size;
  }

  /** The agent URL on the first host (a single-host collection uses only this). */
  agentUrl(agentName: string): string {
    return this.pool.members[0]!.value.agents.get(agentName)!;
  }

  /** A head server that is up (for the aggregate metrics at the end). */
  healthyHeadUrl(): string {
    const index = this.pool.members.findIndex((_, i) => this.pool.healthy(i));
    return this.pool.members[Math.max(0, index)]!.value.headUrl;
  }

  /** Chooses the host of each attempt of one rollout (`session`: its key). */
  chooser(session: string, agentName: string): () => AgentLease | null {
    return () => {
      const lease = this.pool.choose(session);
      if (!lease) return null;
      return {
        url: lease.value.agents.get(agentName)!,
        settle: (hostFailed) => (hostFailed ? lease.fail('refused', 'a connection to its agent failed') : lease.succeed()),
      };
    };
  }

  reports(): EndpointReport[] {
    return this.pool.stats().map((stats) => reportOf('environment', 'head_servers', stats));
  }

  close(): void {
    this.pool.close();
  }
}
