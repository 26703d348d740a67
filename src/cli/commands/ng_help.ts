import type { CliIO } from '../cli_io';

export const COMMAND_SUMMARIES: ReadonlyArray<readonly [string, string]> = [
  ['ng_run', 'start the head server and the servers of +config_paths=[...], until Ctrl-C'],
  ['ng_collect_rollouts', 'send each task of a JSONL file to an agent and write the verified rollouts'],
  ['ng_viewer', 'open the rollout viewer in a browser (127.0.0.1, token-protected)'],
  ['ng_status', 'list the running servers and check they answer'],
  ['ng_dump_config', 'print the resolved config with every secret masked'],
  ['ng_test', 'check the workplace tables and that example ground truths verify to 1.0'],
  ['ng_aggregate_rollouts', 'merge rollout shards and compute their aggregate metrics (gym eval aggregate)'],
  ['ng_reward_profile', "NeMo Gym's reward profile of a run (gym eval profile)"],
  ['ng_generate_tasks', 'generate training tasks whose ground truths are run and checked in the sandbox (gym dataset generate)'],
  ['ng_version', 'versions and machine details (+json=true for JSON)'],
  ['ng_help', 'this list'],
];

export async function runNgHelp(_argv: string[], io: CliIO): Promise<number> {
  const width = Math.max(...COMMAND_SUMMARIES.map(([name]) => name.length));
  const lines = COMMAND_SUMMARIES.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`);
  io.stdout(`Gym Rollouts commands (each also as nemo_gym_<name>):\n${lines.join('\n')}\n\nEvery command takes Hydra-style +key=value options; +help=true prints a command's options.\nNeMo Gym's current command line is there too: gym (or ng) <group> <command> [flags], e.g. gym eval run --help.\n`);
  return 0;
}
