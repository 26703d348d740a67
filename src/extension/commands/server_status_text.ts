/**
 * Show Server Status as a Markdown page, like `ng_status`: every server probed with `GET /` (any HTTP answer
 * counts as up, NEMO_GYM_PROTOCOL.md §1.4), plus the host, the endpoint and the key source (never the key).
 * Editor-free.
 */
import type { ServerInfo } from '../../core/servers/api';
import type { ServersStatus } from '../../host/protocol';
import type { ExtensionSettings } from '../config/settings';
import type { ApiKeySource } from '../secrets/api_key_store';

export type ProbeResult = 'success' | 'connection_error' | 'timeout';

export async function probeServer(url: string, timeoutMs = 2_000, fetchImpl: typeof fetch = fetch): Promise<ProbeResult> {
  try {
    await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
    return 'success';
  } catch (error) {
    return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? 'timeout' : 'connection_error';
  }
}

export interface ServerStatusInput {
  host: string;
  servers: ServersStatus | null;
  settings: ExtensionSettings;
  apiKeySource: ApiKeySource | null;
  probe?: (server: ServerInfo) => Promise<ProbeResult>;
}

export async function renderServerStatus(input: ServerStatusInput): Promise<string> {
  const { settings, servers } = input;
  const lines = ['# Gym Rollouts: server status', ''];
  if (settings.externalHeadServerUrl) lines.push(`- **Deployment:** external, head server ${settings.externalHeadServerUrl}`);
  else lines.push(`- **Host process:** ${input.host}`, `- **Servers:** ${servers?.state ?? 'not started'}`);
  if (servers?.headServerUrl) lines.push(`- **Head server:** ${servers.headServerUrl}`);
  lines.push(
    `- **Policy endpoint:** ${servers?.policyBaseUrl ?? settings.policyBaseUrl} (${settings.apiStyle === 'responses' ? 'Responses API' : 'Chat Completions'})`,
    `- **Model:** ${servers?.policyModelName ?? settings.policyModelName}`,
    `- **API key:** ${input.apiKeySource ?? 'none'}`,
    `- **Data directory:** ${servers?.dataDirectory ?? (settings.dataDirectory || 'automatic')}`,
  );
  if (servers?.error) lines.push(`- **Error:** ${servers.error}`);
  const list = servers?.servers ?? [];
  if (list.length > 0) {
    const probe = input.probe ?? ((server: ServerInfo) => probeServer(server.url));
    const results = await Promise.all(list.map((server) => probe(server)));
    lines.push('', '| | server | kind | implementation | URL | state | probe |', '|---|---|---|---|---|---|---|');
    list.forEach((server, index) => {
      const result = results[index]!;
      lines.push(`| ${result === 'success' ? '✓' : '✗'} | ${server.name} | ${server.kind} | ${server.implementation} | ${server.url} | ${server.state} | ${result} |`);
    });
  }
  return `${lines.join('\n')}\n`;
}
