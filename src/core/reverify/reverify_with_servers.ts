import { createServer } from 'node:net';
import { loadGlobalConfig } from '../config/loader';
import type { Logger } from '../logger';
import { startEmbeddedServers } from '../servers/embedded';
import { HttpClient } from '../servers/http/http_client';
import { resourcesServerRoutes, reverifyRollouts, type ReverifyRequest, type ReverifyResult } from './reverify_rollouts';

/** The environment rollouts are verified with when no config is given (as `gym eval reverify` does). */
export const REVERIFY_CONFIG = 'configs/workplace_assistant.yaml';

export interface ReverifyServersOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Where `configs/` is found when not in `cwd`. */
  installRoot: string;
  logger: Logger;
  signal?: AbortSignal;
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

/**
 * Reverification with servers of its own: the workplace_assistant environment's resources server (no model, no
 * key) on free loopback ports for the run, stopped afterwards.
 */
export async function reverifyWithOwnServers(request: ReverifyRequest, options: ReverifyServersOptions): Promise<ReverifyResult> {
  const argv = [`+config_paths=[${REVERIFY_CONFIG}]`, `++head_server={host: 127.0.0.1, port: ${await freePort()}}`, '++skip_endpoint_check=true'];
  const common = { argv, cwd: options.cwd, env: options.env, installRoot: options.installRoot, command: 'ng_reverify_rollouts' };
  const { config } = loadGlobalConfig(common);
  const running = await startEmbeddedServers(common, options.logger);
  const client = new HttpClient({ inProcess: true });
  try {
    return await reverifyRollouts(request, client, resourcesServerRoutes(config, running.servers), { signal: options.signal, logger: options.logger });
  } finally {
    client.close();
    await running.stop();
  }
}
