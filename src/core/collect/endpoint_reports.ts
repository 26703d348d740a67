import type { EndpointStats } from '../endpoint_pool';
import type { HttpClient } from '../servers/http/http_client';
import type { EndpointReport } from './api';
import type { DiscoveredServer } from './head_discovery';

/**
 * The per-endpoint figures of the model servers a collection uses, read from their `GET /endpoint_stats` (ours,
 * when a model server has several policy endpoints); a server without that route (one endpoint, or NeMo Gym's) is
 * asked once. Reads never overlap and never fail the collection.
 */
export class PolicyEndpointReports {
  private latest = new Map<string, EndpointReport[]>();
  private readonly silent = new Set<string>();
  private reading: Promise<void> | null = null;

  constructor(
    private readonly modelServers: readonly DiscoveredServer[],
    private readonly client: HttpClient,
  ) {}

  reports(): EndpointReport[] {
    return [...this.latest.values()].flat();
  }

  /** Reads every model server again (or waits for the read under way). */
  refresh(): Promise<void> {
    this.reading ??= this.read().finally(() => (this.reading = null));
    return this.reading;
  }

  private async read(): Promise<void> {
    await Promise.all(
      this.modelServers.filter((server) => !this.silent.has(server.url)).map(async (server) => {
        try {
          const answer = await this.client.get(`${server.url}/endpoint_stats`, { timeoutMs: 2000 });
          if (answer.status !== 200) {
            this.silent.add(server.url);
            return;
          }
          const endpoints = (JSON.parse(answer.bodyText) as { endpoints?: EndpointStats[] }).endpoints ?? [];
          this.latest.set(server.url, endpoints.map((stats) => reportOf('policy', server.name, stats)));
        } catch {
          // a server that does not answer now keeps its last figures
        }
      }),
    );
  }
}

export function reportOf(role: EndpointReport['role'], server: string, stats: EndpointStats): EndpointReport {
  return { role, server, ...stats };
}
