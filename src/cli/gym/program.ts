/**
 * `gym` / `ng`: NeMo Gym's current command line (nemo_gym/cli/main.py) over Gym Rollouts' commands. Flags map to
 * the same Hydra keys as NeMo Gym's; Hydra overrides typed after them pass through; each command then runs the
 * matching `ng_*` implementation (the table of nemo_gym/cli/legacy.py, read backwards).
 */
import { Command, CommanderError, Option } from 'commander';
import type { CliIO } from '../cli_io';
import { UsageError } from '../command_config';
import { AVAILABLE_ASSETS, type AssetFlag } from './assets';
import { DATASET_GENERATE_FLAGS, EVAL_AGGREGATE_FLAGS, EVAL_PROFILE_FLAGS, EVAL_REVERIFY_FLAGS, EVAL_RUN_FLAGS, CONFIG, JSON_OUTPUT, MODEL, MODEL_API_KEY, MODEL_URL, SERVER_FLAGS, optionProperty, type FlagSpec } from './flags';
import { hydraTokens } from './hydra_tokens';

/** How a `gym` command runs: the `ng_*` implementation it maps to, given the Hydra overrides. */
export type GymRunner = (name: string, argv: string[], options: { serve?: 'serve' | 'no-serve' }) => Promise<number>;

interface GymCommand {
  path: readonly [string, string?];
  summary: string;
  flags?: readonly FlagSpec[];
  /** The `ng_*` command it runs; absent for commands that are not available here. */
  target?: string;
  /** Why the command is not available in Gym Rollouts. */
  unavailable?: string;
  /** A positional argument NeMo Gym takes (e.g. a workload name), accepted and ignored. */
  positional?: string;
  /** Commands whose implementation reads +verbose. */
  verbose?: boolean;
}

const NO_HUB = 'Gym Rollouts reaches no dataset hub (Hugging Face, GitLab); it reads local JSONL task files (gym eval run --input FILE)';

export const GYM_COMMANDS: readonly GymCommand[] = [
  { path: ['list', 'benchmarks'], summary: 'List or inspect available benchmarks.', unavailable: 'Gym Rollouts has no benchmarks; its one environment is workplace_assistant (gym list environments)' },
  { path: ['list', 'environments'], summary: 'List the environments.', target: 'list:environment', flags: [JSON_OUTPUT], positional: '[name]' },
  { path: ['list', 'agents'], summary: 'List the agents.', target: 'list:agent', flags: [JSON_OUTPUT], positional: '[name]' },
  { path: ['list', 'models'], summary: 'List the model server types.', target: 'list:model-type', flags: [JSON_OUTPUT], positional: '[name]' },
  { path: ['list', 'resources-servers'], summary: 'List the resources servers.', target: 'list:resources-server', flags: [JSON_OUTPUT], positional: '[name]' },
  { path: ['search'], summary: 'Search the component catalog.', unavailable: 'there is no component catalog to search; gym list environments shows the one environment' },
  { path: ['dataset', 'upload'], summary: 'Upload a prepared dataset to HF or GitLab.', unavailable: NO_HUB },
  { path: ['dataset', 'download'], summary: 'Download a dataset from HF or GitLab.', unavailable: NO_HUB },
  { path: ['dataset', 'rm'], summary: 'Delete a dataset from GitLab.', unavailable: NO_HUB },
  { path: ['dataset', 'migrate'], summary: 'Transfer a dataset from GitLab to HF.', unavailable: NO_HUB },
  { path: ['dataset', 'generate'], summary: 'Generate workplace_assistant training tasks, each ground truth run and checked in the sandbox (Gym Rollouts only).', target: 'ng_generate_tasks', flags: DATASET_GENERATE_FLAGS, verbose: true },
  { path: ['dataset', 'render'], summary: 'Generate a dataset preview.', unavailable: 'prompt configs are not supported; build responses_create_params.input in the task file' },
  { path: ['dataset', 'collate'], summary: 'Validate and collate the dataset.', unavailable: 'there is no dataset preparation step: gym eval run --input FILE checks every row before any model call' },
  { path: ['env', 'init'], summary: 'Scaffold a resources server, environment, or benchmark.', unavailable: 'there are no Python servers to scaffold; Gym Rollouts implements the workplace_assistant environment itself' },
  { path: ['env', 'resolve'], summary: 'Resolve the final config from configs, flags, and overrides.', target: 'ng_dump_config', flags: [CONFIG, SERVER_FLAGS[1]!, SERVER_FLAGS[2]!, SERVER_FLAGS[3]!, SERVER_FLAGS[4]!, SERVER_FLAGS[5]!, MODEL, MODEL_URL, MODEL_API_KEY] },
  { path: ['env', 'validate'], summary: 'Validate a manifest-backed workload or config.', unavailable: 'there are no environment manifests; gym env resolve shows the resolved config, and gym eval run checks the task file' },
  { path: ['env', 'packages'], summary: 'Print pip packages for a resources server.', unavailable: 'the servers are not Python packages with virtual environments (gym --version lists the versions)' },
  { path: ['env', 'test'], summary: 'Check the workplace tables and that the example ground truths verify to 1.0.', target: 'ng_test', positional: '[name]', flags: [{ kind: 'own', flags: '--resources-server <name>', help: 'the resources server (only workplace_assistant)' }] },
  { path: ['env', 'publish'], summary: 'Run publication checks.', unavailable: 'there is no environment catalog to publish to' },
  { path: ['env', 'start'], summary: 'Start the servers (head server on 127.0.0.1:11000) until Ctrl-C.', target: 'ng_run', flags: [...SERVER_FLAGS, MODEL, MODEL_URL, MODEL_API_KEY], verbose: true },
  { path: ['env', 'prefetch'], summary: 'Pre-warm per-server venvs.', unavailable: 'there are no per-server virtual environments to pre-warm' },
  { path: ['env', 'status'], summary: 'Print the server status.', target: 'ng_status', flags: [JSON_OUTPUT] },
  { path: ['eval', 'prepare'], summary: 'Prepare benchmark data.', unavailable: 'Gym Rollouts has no benchmarks to prepare' },
  { path: ['eval', 'run'], summary: 'Start the servers and collect rollouts (with --no-serve: through running servers).', target: 'ng_collect_rollouts', flags: EVAL_RUN_FLAGS, verbose: true },
  { path: ['eval', 'aggregate'], summary: 'Merge rollout shards and compute the aggregate metrics.', target: 'ng_aggregate_rollouts', flags: EVAL_AGGREGATE_FLAGS },
  { path: ['eval', 'reverify'], summary: 'Verify existing rollouts again with the current environment and report the rewards that changed.', target: 'ng_reverify_rollouts', flags: EVAL_REVERIFY_FLAGS, verbose: true },
  { path: ['eval', 'profile'], summary: 'Compute a reward profile from rollouts.', target: 'ng_reward_profile', flags: EVAL_PROFILE_FLAGS },
  { path: ['eval', 'submit'], summary: 'Submit a job.', unavailable: 'there is no Slurm or cluster submission; run gym eval run on the machine itself' },
  { path: ['dev', 'test'], summary: "Run NeMo Gym's unit tests.", unavailable: "these are NeMo Gym's Python tests; Gym Rollouts' tests run with npm test" },
];

const GROUPS: Record<string, string> = {
  list: 'List available components (environments, agents, models, resources-servers).',
  dataset: 'Manage datasets (not available in Gym Rollouts).',
  env: 'Develop and run environments.',
  eval: 'Run evaluations.',
  dev: 'Contributor helpers.',
};

/** Agents of configs/workplace_assistant.yaml, for `gym list agents`. */
const AGENTS: Record<string, string> = {
  workplace_assistant_simple_agent: "NeMo Gym's simple agent: model call, tool calls, at most 6 steps, then /verify",
  workplace_assistant_oracle_agent: "replays each row's ground truth (no model, no key): every well-formed row scores 1.0",
};

/** Thrown by an action to end the program with a code (commander's own errors carry theirs). */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function addFlags(command: Command, specs: readonly FlagSpec[]): void {
  for (const spec of specs) {
    const option = new Option(spec.flags, spec.help);
    if (spec.kind === 'config') option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    command.addOption(option);
  }
}

function listing(kind: string, options: Record<string, unknown>, name: string | undefined, io: CliIO): number {
  const table = kind === 'agent' ? AGENTS : AVAILABLE_ASSETS[kind as AssetFlag];
  const entries = Object.entries(table).filter(([key]) => name === undefined || key === name);
  if (name !== undefined && entries.length === 0) {
    io.stderr(`gym list: no ${kind} named ${name} in Gym Rollouts. Available: ${Object.keys(table).join(', ')}.\n`);
    return 1;
  }
  if (options.json === true) io.stdout(`${JSON.stringify(entries.map(([key, description]) => ({ name: key, description })))}\n`);
  else io.stdout(entries.map(([key, description]) => `${key}  ${description}\n`).join(''));
  return 0;
}

/** The `gym` program, wired to `io` and `run`; its exit code. */
export async function runGym(argv: readonly string[], io: CliIO, run: GymRunner, programName = 'gym'): Promise<number> {
  const program = new Command(programName)
    .description('Gym Rollouts, with NeMo Gym\'s command line: gym <group> <command> [flags] [+hydra=overrides ...]')
    .option('--version', 'show the Gym Rollouts version and exit (--version --json: as JSON)')
    .option('-v, --verbose', 'log every request-level event on stderr')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });
  // `gym --version [--json]` (before any command): the root has no action, so that a mistyped command is
  // reported with a suggestion rather than taken as an argument.
  const firstCommand = argv.findIndex((token) => !token.startsWith('-'));
  const leading = firstCommand < 0 ? argv : argv.slice(0, firstCommand);
  if (leading.includes('--version')) return run('ng_version', leading.includes('--json') ? ['+json=true'] : [], {});

  const groups = new Map<string, Command>();
  for (const spec of GYM_COMMANDS) {
    const [first, second] = spec.path;
    let parent = program;
    if (second !== undefined) {
      let group = groups.get(first);
      if (!group) {
        group = program.command(first).description(GROUPS[first] ?? '');
        groups.set(first, group);
      }
      parent = group;
    }
    const command = parent.command(second ?? first).description(spec.unavailable ? `${spec.summary} (not available in Gym Rollouts)` : spec.summary);
    addFlags(command, spec.flags ?? []);
    command.option('-v, --verbose', 'log every request-level event on stderr');
    if (spec.positional) command.argument(spec.positional);
    command.argument('[overrides...]', 'Hydra overrides, e.g. +head_server={host: 127.0.0.1, port: 12000}');
    if (spec.unavailable) command.allowUnknownOption(true).allowExcessArguments(true);
    command.action(async (...args: unknown[]) => {
      const name = `${programName} ${spec.path.filter(Boolean).join(' ')}`;
      if (spec.unavailable) {
        io.stderr(`\`${name}\` is not available in Gym Rollouts: ${spec.unavailable}.\n`);
        throw new Exit(2);
      }
      const options = command.opts<Record<string, unknown>>();
      const overrides = (args[spec.positional ? 1 : 0] as string[] | undefined) ?? [];
      const positional = spec.positional ? (args[0] as string | undefined) : undefined;
      if (options[optionProperty('--search-dir <dir>')] !== undefined) throw new UsageError('--search-dir is not available in Gym Rollouts: there are no component roots to search (one environment is built in).');
      if (spec.target!.startsWith('list:')) throw new Exit(listing(spec.target!.slice(5), options, positional, io));
      const tokens = hydraTokens(spec.flags ?? [], options, overrides, io.cwd);
      const verbose = (program.opts<{ verbose?: boolean }>().verbose === true || options.verbose === true) && spec.verbose ? ['+verbose=true'] : [];
      const serve = spec.target === 'ng_collect_rollouts' ? { serve: options.serve === false ? ('no-serve' as const) : ('serve' as const) } : {};
      throw new Exit(await run(spec.target!, [...verbose, ...tokens], serve));
    });
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof Exit) return error.code;
    // Help asked for or shown for a bare group: commander's code (0 or 1, as argparse); a parse error: 2.
    if (error instanceof CommanderError) return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code) ? error.exitCode : 2;
    if (error instanceof UsageError) {
      io.stderr(`${programName}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
