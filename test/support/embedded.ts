import { REPO_ROOT, WORKPLACE_CSV_DIR } from './paths';
import { freePort } from './free_port';
import { silentLogger, type Logger } from '../../src/core/logger';
import type { RunningServers } from '../../src/core/servers/api';
import { startEmbeddedServers } from '../../src/core/servers/embedded';

export interface EmbeddedOptions {
  configs: string[];
  policyBaseUrl?: string;
  policyApiKey?: string;
  policyModelName?: string;
  extra?: string[];
  cwd?: string;
  logger?: Logger;
  env?: Record<string, string | undefined>;
}

/** The servers `ng_run` starts, in this process, on free ports, over the shared tables. */
export async function startTestServers(options: EmbeddedOptions): Promise<RunningServers> {
  const headPort = await freePort();
  const argv = [
    `+config_paths=[${options.configs.join(',')}]`,
    `+head_server={host: 127.0.0.1, port: ${headPort}}`,
    `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
    ...(options.policyBaseUrl ? [`+policy_base_url=${options.policyBaseUrl}`] : []),
    ...(options.policyApiKey ? [`+policy_api_key=${options.policyApiKey}`] : []),
    ...(options.policyModelName ? [`+policy_model_name=${options.policyModelName}`] : []),
    ...(options.extra ?? []),
  ];
  return startEmbeddedServers({ argv, cwd: options.cwd ?? REPO_ROOT, env: options.env ?? {}, installRoot: REPO_ROOT }, options.logger ?? silentLogger);
}
