import { createWorkplaceEnvironment, loadWorkplaceTables, type WorkplaceEnvironment } from '../../src/core/environments/workplace';
import { silentLogger } from '../../src/core/logger';
import { HttpClient } from '../../src/core/servers/http/http_client';
import type { NemoHttpServer } from '../../src/core/servers/http/http_server';
import { createWorkplaceResourcesServer } from '../../src/core/servers/resources/workplace_resources_server';
import { WORKPLACE_CSV_DIR } from './paths';

let environment: Promise<WorkplaceEnvironment> | null = null;

export function sharedEnvironment(): Promise<WorkplaceEnvironment> {
  environment ??= loadWorkplaceTables(WORKPLACE_CSV_DIR).then(createWorkplaceEnvironment);
  return environment;
}

export interface StartedResourcesServer {
  server: NemoHttpServer;
  url: string;
  client: HttpClient;
  close(): Promise<void>;
}

/** The real resources server on a loopback port, over NeMo Gym's data. */
export async function startWorkplaceResourcesServer(options: { maxToolBodyBytes?: number; maxSessions?: number; regexTimeLimitMs?: number } = {}): Promise<StartedResourcesServer> {
  const server = createWorkplaceResourcesServer({ name: 'workplace_assistant', environment: await sharedEnvironment(), logger: silentLogger, ...options });
  const url = await server.listen('127.0.0.1', 0);
  const client = new HttpClient();
  return {
    server,
    url,
    client,
    close: async () => {
      client.close();
      await server.close();
    },
  };
}
