import { applyOverrides, collectSecretValues, isConfigError, parseOverride, redactText, unparsedOverrideSecret, type Override } from '../core/config';
import { processIO, type CliIO } from './cli_io';
import { UsageError } from './command_config';
import { terminalSafe } from './terminal_text';
import { runNgCollectRollouts } from './commands/ng_collect_rollouts';
import { runNgDumpConfig } from './commands/ng_dump_config';
import { runNgHelp } from './commands/ng_help';
import { runNgRun } from './commands/ng_run';
import { runNgStatus } from './commands/ng_status';
import { runNgTest } from './commands/ng_test';
import { runNgVersion } from './commands/ng_version';
import { runNgViewer } from './commands/ng_viewer';
import { runNgAggregateRollouts } from './commands/ng_aggregate_rollouts';
import { runNgReverifyRollouts } from './commands/ng_reverify_rollouts';
import { runNgRewardProfile } from './commands/ng_reward_profile';
import { runNgGenerateTasks } from './commands/ng_generate_tasks';
import { GYM_COMMANDS, runGym } from './gym/program';

type Command = (argv: string[], io: CliIO) => Promise<number>;
type CollectMode = { serve?: 'serve' | 'no-serve' };

const COMMANDS: Record<string, Command> = {
  ng_run: runNgRun,
  ng_collect_rollouts: runNgCollectRollouts,
  ng_viewer: (argv, io) => runNgViewer(argv, { stdout: io.stdout, stderr: io.stderr, cwd: io.cwd, signal: io.signal }),
  ng_status: runNgStatus,
  ng_dump_config: runNgDumpConfig,
  ng_help: runNgHelp,
  ng_version: runNgVersion,
  ng_test: runNgTest,
  ng_aggregate_rollouts: runNgAggregateRollouts,
  ng_reward_profile: runNgRewardProfile,
  ng_reverify_rollouts: runNgReverifyRollouts,
  ng_generate_tasks: runNgGenerateTasks,
};

/** The commands `bin/ng_*.js` may name. */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

/** Errors a user can fix get their message only; anything else is a bug and keeps its stack. */
export function describeFailure(error: unknown): string {
  if (isConfigError(error) || error instanceof UsageError) return error.message;
  if (error instanceof Error && ['InputFileError', 'CollectionSetupError', 'DiscoveryError', 'EmbeddedServersError', 'DataDirectoryError', 'MaterializeError', 'WorkplaceDataError', 'OutputLockedError', 'OutputWriteError', 'RewardProfileError', 'ShardError', 'GenerationError'].includes(error.name)) {
    return error.message;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export async function runCommand(name: string, argv: string[], io: CliIO, mode: CollectMode = {}): Promise<number> {
  const key = name.replace(/^nemo_gym_/, 'ng_');
  const command = key === 'ng_collect_rollouts' ? (a: string[], i: CliIO) => runNgCollectRollouts(a, i, mode) : COMMANDS[key];
  if (!command) {
    io.stderr(`Unknown command ${name}. Run ng_help for the list.\n`);
    return 2;
  }
  const shownName = io.displayName ?? name;
  try {
    return await command(argv, io);
  } catch (error) {
    io.stderr(`${shownName}: ${errorText(describeFailure(error), [name, shownName], secretsOf(name, argv, io))}\n`);
    return 1;
  }
}

/** `gym ...` / `ng ...`: NeMo Gym's current command line, each command running the matching `ng_*` one. */
export async function runGymCommand(argv: string[], io: CliIO, programName = 'gym'): Promise<number> {
  try {
    return await runGym(argv, io, (name, overrides, mode) => runCommand(name, overrides, { ...io, displayName: `${programName} ${gymNameOf(name)}` }, mode), programName);
  } catch (error) {
    const flagged = argv.flatMap((token, i) => (argv[i - 1] === '--model-api-key' ? [token] : token.startsWith('--model-api-key=') ? [token.slice('--model-api-key='.length)] : []));
    const secrets = [...secretsOf('gym', argv.filter((token) => /^[+~]/.test(token)), io), ...flagged.filter((value) => value.length >= 8)];
    io.stderr(`${programName}: ${errorText(describeFailure(error), [programName], secrets)}\n`);
    return 1;
  }
}

/** An error's message for the terminal: secrets masked, control characters escaped, the command named once. */
function errorText(message: string, names: readonly string[], secrets: readonly string[]): string {
  const named = names.find((name) => message.startsWith(`${name}: `));
  return terminalSafe(redactText(named ? message.slice(named.length + 2) : message, secrets));
}

function gymNameOf(name: string): string {
  return GYM_COMMANDS.find((command) => command.target === name)?.path.filter(Boolean).join(' ') ?? name;
}

/** Secrets the command line and the environment hold, for masking an error message whatever its source. */
function secretsOf(name: string, argv: string[], io: CliIO): string[] {
  const parsed: Override[] = [];
  const unparsed: string[] = [];
  argv.forEach((text, index) => {
    try {
      parsed.push(parseOverride(text, index + 1, name));
    } catch {
      const secret = unparsedOverrideSecret(text);
      if (secret !== null) unparsed.push(secret);
    }
  });
  try {
    const { config } = applyOverrides({}, parsed, { command: name, lenient: true });
    return [...collectSecretValues(config, io.env), ...unparsed];
  } catch {
    return [...collectSecretValues({}, io.env), ...unparsed];
  }
}

/** Entry point of the `bin/ng_*` scripts. */
export async function main(name: string, argv: string[]): Promise<void> {
  await withSignals((io) => runCommand(name, argv, io));
}

/** Entry point of `bin/gym.js` and `bin/ng.js`. */
export async function gymMain(argv: string[], programName = 'gym'): Promise<void> {
  await withSignals((io) => runGymCommand(argv, io, programName));
}

async function withSignals(run: (io: CliIO) => Promise<number>): Promise<void> {
  const abort = new AbortController();
  const stop = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await run(processIO(abort.signal));
  process.exitCode = code;
  process.removeListener('SIGINT', stop);
  process.removeListener('SIGTERM', stop);
}
