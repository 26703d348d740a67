import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { defaultReverifyOutput, describeChange, resourcesServerRoutes, reverifyRollouts, ReverifyInputError } from '../../core/reverify/reverify_rollouts';
import { startEmbeddedServers } from '../../core/servers/embedded';
import { HttpClient } from '../../core/servers/http/http_client';
import { stderrLogger, type CliIO } from '../cli_io';
import { boolOption, INSTALL_ROOT, intOption, loadCommandConfig, stringOption, UsageError } from '../command_config';
import { printKeyMetrics } from './key_metrics';

const OPTION_KEYS = [
  'materialized_inputs_jsonl_fpath',
  'rollouts_jsonl_fpath',
  'output_jsonl_fpath',
  'num_samples_in_parallel',
  'limit',
  'force',
  'overwrite',
  'resume_from_cache',
  'disable_aggregation',
  'judge_failed_only',
  'append',
  'verbose',
];

export const REVERIFY_HELP = `gym eval reverify --inputs <stem>_materialized_inputs.jsonl --rollouts <rollouts.jsonl> [-o OUT]
(ng_reverify_rollouts): verify each stored rollout again with the current environment (no model call): the
resources server of the config (default: the workplace_assistant environment, configs/workplace_assistant.yaml) is
started for the run on free ports, each (input row, rollout response) is POSTed to its /verify, and the rollouts with
their new rewards go to OUT (default <rollouts stem>_reverified.jsonl), with OUT's _aggregate_metrics.json. The
rewards that changed are listed. --overwrite replaces OUT, --resume completes it; --limit N, --concurrency N.`;

/** `gym eval reverify`. */
export async function runNgReverifyRollouts(argv: string[], io: CliIO): Promise<number> {
  const command = loadCommandConfig('ng_reverify_rollouts', argv, io, [...OPTION_KEYS, 'head_server'], false);
  if (command.wantsHelp) {
    io.stdout(`${REVERIFY_HELP}\n`);
    return 0;
  }
  const { option } = command;
  if (option('judge_failed_only') === true || option('append') === true) {
    throw new UsageError('--judge-failed-only and --append are not available in Gym Rollouts: workplace_assistant has no LLM judge whose failures could be recovered.');
  }
  const inputsOption = stringOption(option('materialized_inputs_jsonl_fpath'), 'materialized_inputs_jsonl_fpath');
  const rolloutsOption = stringOption(option('rollouts_jsonl_fpath'), 'rollouts_jsonl_fpath');
  if (!inputsOption) throw new UsageError('the materialized inputs are required: --inputs FILE (+materialized_inputs_jsonl_fpath=FILE).');
  if (!rolloutsOption) throw new UsageError('the rollouts are required: --rollouts FILE (+rollouts_jsonl_fpath=FILE).');
  const rolloutsPath = resolvePath(io.cwd, rolloutsOption);
  const inputsPath = resolvePath(io.cwd, inputsOption);
  const outputOption = stringOption(option('output_jsonl_fpath'), 'output_jsonl_fpath');
  const requestedOutput = outputOption ? resolvePath(io.cwd, outputOption) : defaultReverifyOutput(rolloutsPath);
  const resume = boolOption(option('resume_from_cache'), 'resume_from_cache') ?? false;

  const serverArgv = [...argv];
  if (command.loaded.configPaths.length === 0) {
    io.stderr('note: no config given; verifying with the workplace_assistant environment (configs/workplace_assistant.yaml).\n');
    serverArgv.push('+config_paths=[configs/workplace_assistant.yaml]');
  }
  if (command.config.head_server === undefined) serverArgv.push(`++head_server={host: 127.0.0.1, port: ${await freePort()}}`);
  serverArgv.push('++skip_endpoint_check=true');
  const logger = stderrLogger(io, option('verbose') === true);
  const request = {
    rolloutsPath,
    inputsPath,
    outputPath: requestedOutput,
    limit: intOption(option('limit'), 'limit') ?? null,
    parallel: intOption(option('num_samples_in_parallel'), 'num_samples_in_parallel') ?? 16,
    resume,
    overwrite: option('overwrite') === true,
    force: option('force') === true,
    disableAggregation: boolOption(option('disable_aggregation'), 'disable_aggregation') ?? false,
  };
  // The files are read before any server starts: a wrong path is told at once.
  for (const [path, flag] of [[inputsPath, '--inputs'], [rolloutsPath, '--rollouts']] as const) {
    if (!existsSync(path)) throw new UsageError(`Input file not found: '${path}' (${flag}). Check the path is spelled correctly.`);
  }
  const running = await startEmbeddedServers({ argv: serverArgv, cwd: io.cwd, env: io.env, installRoot: INSTALL_ROOT, command: 'ng_reverify_rollouts', extraOptionKeys: OPTION_KEYS }, logger);
  const client = new HttpClient({ inProcess: true });
  try {
    let result;
    try {
      const routes = resourcesServerRoutes(command.config, running.servers);
      result = await reverifyRollouts(request, client, routes, { signal: io.signal, logger, note: (message) => io.stdout(`${message}\n`) });
    } catch (error) {
      if (error instanceof ReverifyInputError) throw new UsageError(error.message);
      throw error;
    }
    if (result.unsafeWarning) io.stderr(`${result.unsafeWarning}\n`);
    if (resume) io.stdout(`Resumed: ${result.alreadyDone} of ${result.total} rollouts already verified again in ${result.outputPath}.\n`);
    if (result.metrics !== null) printKeyMetrics(result.metrics, io);
    const changes = result.changes.map(describeChange);
    io.stdout(
      `Finished re-verification of ${result.verified} rollout(s)${result.failed > 0 ? ` (${result.failed} failed: ${result.failuresPath})` : ''}. View results at:\n` +
        `Re-verified rollouts: ${result.outputPath}\nAggregate metrics: ${result.metricsPath ?? 'None'}\n` +
        (changes.length === 0 ? 'No reward changed.\n' : `${changes.length} reward(s) changed:\n${changes.map((change) => `  ${change}\n`).join('')}`),
    );
    if (result.unsafeWarning) io.stdout(`${result.unsafeWarning}\n`);
    if (io.signal.aborted) return 130;
    return result.failed > 0 ? 3 : 0;
  } finally {
    client.close();
    await running.stop();
  }
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
