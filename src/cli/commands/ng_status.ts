import { headServerAddress } from '../../core/config';
import { HttpClient, HttpCallError } from '../../core/servers/http/http_client';
import type { CliIO } from '../cli_io';
import { loadCommandConfig } from '../command_config';

interface Instance {
  name?: string;
  process_name?: string;
  server_type?: string;
  port?: number;
  pid?: number;
  start_time?: number;
  url?: string;
}

/** `ng_status` (NEMO_GYM_PROTOCOL.md §1.4): every server the head server knows, and whether it answers. */
export async function runNgStatus(argv: string[], io: CliIO): Promise<number> {
  const command = loadCommandConfig('ng_status', argv, io, ['json']);
  const asJson = command.option('json') === true;
  if (command.wantsHelp) {
    io.stdout('ng_status: list the servers the head server knows and check each answers.\n  +head_server={host: H, port: P}  (default 127.0.0.1:11000)\n');
    return 0;
  }
  const head = headServerAddress(command.config, io.env);
  const headUrl = `http://${head.host}:${head.port}`;
  const client = new HttpClient({ maxSockets: 8 });
  try {
    let instances: Instance[];
    try {
      const answer = await client.get(`${headUrl}/server_instances`, { timeoutMs: 5000 });
      instances = JSON.parse(answer.bodyText) as Instance[];
      if (!Array.isArray(instances)) throw new Error('not a list');
    } catch {
      if (asJson) {
        io.stdout('[]\n');
        return 1;
      }
      io.stdout(`No head server answers at ${headUrl}. Start the servers with ng_run (or pass +head_server={host: ..., port: ...}).\nNo NeMo Gym servers found running.\n`);
      return 1;
    }
    let healthy = 0;
    const now = Date.now() / 1000;
    if (asJson) {
      const statuses = await Promise.all(instances.map((instance) => probe(client, instance.url ?? '')));
      io.stdout(`${JSON.stringify(instances.map((instance, i) => ({ ...instance, status: statuses[i] })))}\n`);
      return statuses.every((status) => status === 'success') ? 0 : 1;
    }
    for (const [i, instance] of instances.entries()) {
      const status = await probe(client, instance.url ?? '');
      if (status === 'success') healthy += 1;
      const mark = status === 'success' ? '✓' : '✗';
      io.stdout(`[${i + 1}] ${mark} ${instance.process_name ?? instance.name} (${instance.server_type}/${instance.name})${status === 'success' ? '' : ` ${status}`}\n`);
      const uptime = typeof instance.start_time === 'number' ? formatUptime(now - instance.start_time) : null;
      io.stdout(`    ${JSON.stringify({ server_type: instance.server_type, name: instance.name, port: instance.port, pid: instance.pid, uptime_seconds: uptime })}\n`);
    }
    io.stdout(`${instances.length} servers found (${healthy} healthy, ${instances.length - healthy} unhealthy)\n`);
    return healthy === instances.length ? 0 : 1;
  } finally {
    client.close();
  }
}

async function probe(client: HttpClient, url: string): Promise<string> {
  try {
    await client.get(`${url}/`, { timeoutMs: 2000 });
    return 'success';
  } catch (error) {
    if (error instanceof HttpCallError) return error.kind === 'timeout' ? 'timeout' : 'connection_error';
    return 'unknown_error';
  }
}

function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${d}d ${h}h ${m}m ${s.toFixed(1)}s`;
}
