import { startEmbeddedServers } from '../../core/servers/embedded';
import type { RunningServers } from '../../core/servers/api';
import { stderrLogger, type CliIO } from '../cli_io';
import { INSTALL_ROOT, loadCommandConfig } from '../command_config';

export const NG_RUN_HELP = `ng_run: start the head server and every server of the config, until Ctrl-C.

  ng_run "+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]" \\
      +policy_base_url=https://integrate.api.nvidia.com/v1 '+policy_api_key=\${oc.env:NVIDIA_API_KEY}' \\
      +policy_model_name=openai/gpt-oss-120b

Options (Hydra style: +key=value adds, ++key=value adds or overrides):
  +config_paths=[...]                 config files (relative to the working folder, then the install folder)
  +head_server={host: H, port: P}     where the head server listens (default 127.0.0.1:11000)
  +workplace_assistant_data_dir=DIR   the five workplace_assistant CSV tables (default: a NeMo Gym checkout in the
                                      working folder, the user cache, else the tables shipped with Gym Rollouts)
  +workplace_assistant_data_download=true  download NeMo Gym's tables (pinned, checked) into the user cache
  +sanitize_tool_schemas=true         strip non-standard tool-schema keys before calling the model
  +verbose=true                       log every request-level event on stderr
  env.yaml in the working folder is read too (policy_base_url, policy_api_key, policy_model_name, ...).`;

/** Starts the servers and prints one line per server, then waits for SIGINT/SIGTERM and stops cleanly. */
export async function runNgRun(argv: string[], io: CliIO): Promise<number> {
  const { wantsHelp, option } = loadCommandConfig('ng_run', argv, io, ['verbose'], false);
  if (wantsHelp) {
    io.stdout(`${NG_RUN_HELP}\n`);
    return 0;
  }
  const logger = stderrLogger(io, option('verbose') === true);
  const running = await startEmbeddedServers({ argv, cwd: io.cwd, env: io.env, installRoot: INSTALL_ROOT, extraOptionKeys: ['verbose'] }, logger);
  printServers(running, io);
  await waitForSignal(io.signal);
  io.stderr('Stopping servers...\n');
  await running.stop();
  io.stderr('All servers stopped.\n');
  return 0;
}

export function printServers(running: RunningServers, io: CliIO): void {
  for (const notice of running.notices ?? []) io.stderr(`note: ${notice}\n`);
  const width = Math.max(...running.servers.map((server) => server.name.length));
  for (const server of running.servers) {
    const kind = server.kind === 'head' ? 'head server' : `${server.kind}/${server.implementation}`;
    io.stdout(`${server.name.padEnd(width)}  ${server.url}  (${kind})\n`);
  }
  if (running.dataDirectory) io.stdout(`workplace_assistant tables: ${running.dataDirectory}\n`);
  const ready = running.servers.filter((server) => server.state === 'ready').length;
  io.stdout(`All ${ready} / ${running.servers.length} servers ready\n`);
}

function waitForSignal(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
