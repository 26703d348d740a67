import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, runCli } from '../../support/cli';
import { EXAMPLE_TASKS_PATH, oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { freePort } from '../../support/free_port';
import { readJsonl } from '../../support/jsonl';

// Built at run time so no key-shaped literal is tracked.
const SECRET = ['nvapi', 'gym', 'SECRET', 'value', '4b1e8d0c6a'].join('-');
const env = { NVIDIA_API_KEY: SECRET };

interface Rollout {
  reward: number;
  _ng_task_index: number;
  _ng_rollout_index: number;
  agent_ref: { name: string };
  responses_create_params: Record<string, unknown>;
}

/**
 * `gym` as environments/workplace_assistant/README.md writes it: `gym env start --model-type openai_model
 * --environment workplace_assistant` in one terminal, `gym eval run --no-serve ...` in another, run verbatim in a
 * folder whose env.yaml holds the policy settings and the head server's port (as a NeMo Gym user's does).
 */
describe('gym env start + gym eval run --no-serve, as NeMo Gym\'s README writes them', () => {
  let fake: FakeOpenAIServer;
  let servers: CliProcess;
  const dir = mkdtempSync(join(tmpdir(), 'gym-readme-'));

  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: oracleScript(EXAMPLE_TASKS_PATH), apiKey: SECRET });
    const port = await freePort();
    writeFileSync(
      join(dir, 'env.yaml'),
      `policy_base_url: ${fake.url}\npolicy_api_key: \${oc.env:NVIDIA_API_KEY}\npolicy_model_name: openai/gpt-oss-120b\nhead_server:\n  host: 127.0.0.1\n  port: ${port}\n`,
    );
    servers = new CliProcess('gym', ['env', 'start', '--model-type', 'openai_model', '--environment', 'workplace_assistant'], { cwd: dir, env });
    await servers.waitFor(/All 5 \/ 5 servers ready/);
  });

  afterAll(async () => {
    await servers?.stop('SIGKILL');
    await fake?.close();
  });

  it('collects through the running servers, writing NeMo Gym\'s files', async () => {
    const result = await runCli(
      'gym',
      ['eval', 'run', '--no-serve', '--agent', 'workplace_assistant_simple_agent', '--input', 'environments/workplace_assistant/data/example.jsonl', '--output', 'results/workplace_assistant_trajectory_collection.jsonl', '--limit', '1'],
      { cwd: dir, env },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Using the servers already running at http://127.0.0.1:');
    expect(result.stderr).toContain("is NeMo Gym's example task file; using Gym Rollouts' copy");
    const output = join(dir, 'results/workplace_assistant_trajectory_collection.jsonl');
    const rollouts = readJsonl<Rollout>(output);
    expect(rollouts).toHaveLength(1);
    expect(readFileSync(output, 'utf8')).toContain('"reward":1.0');
    const metrics = JSON.parse(readFileSync(join(dir, 'results/workplace_assistant_trajectory_collection_aggregate_metrics.json'), 'utf8')) as Array<Record<string, unknown>>;
    expect(Object.keys(metrics[0]!)).toEqual(['agent_ref', 'agent_metrics', 'key_metrics', 'group_level_metrics']);
    expect(readFileSync(join(dir, 'results/workplace_assistant_trajectory_collection_aggregate_metrics.json'), 'utf8')).toContain('"mean/reward": 1.0,');
    expect(existsSync(join(dir, 'results/workplace_assistant_trajectory_collection_materialized_inputs.jsonl'))).toBe(true);
  });

  it('gym env status and ng env status list every server as healthy', async () => {
    for (const program of ['gym', 'ng']) {
      const result = await runCli(program, ['env', 'status'], { cwd: dir, env });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('5 servers found (5 healthy, 0 unhealthy)');
    }
    const json = await runCli('gym', ['env', 'status', '--json'], { cwd: dir, env });
    expect((JSON.parse(json.stdout) as Array<{ status: string }>).map((server) => server.status)).toEqual(Array(5).fill('success'));
  });

  it('--no-serve with the config of other servers is refused', async () => {
    const result = await runCli('gym', ['eval', 'run', '--no-serve', '--environment', 'workplace_assistant', '--model-type', 'vllm_model', '-a', 'workplace_assistant_simple_agent', '-i', EXAMPLE_TASKS_PATH, '-o', 'results/x.jsonl'], { cwd: dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('with a different configuration than +config_paths asks for');
  });

  it('the key appears in no output and no file', () => {
    for (const text of [servers.stdout, servers.stderr]) expect(text).not.toContain(SECRET);
    for (const file of readdirSync(join(dir, 'results'))) expect(readFileSync(join(dir, 'results', file), 'utf8'), file).not.toContain(SECRET);
  });
});

describe('gym eval run, starting the servers for the run', () => {
  let fake: FakeOpenAIServer;

  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: oracleScript(EXAMPLE_TASKS_PATH), apiKey: SECRET });
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('maps the sampling flags to responses_create_params and the model flags to the policy settings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-one-'));
    const result = await runCli(
      'gym',
      [
        'eval', 'run', '--environment', 'workplace_assistant', '--model-type', 'openai_model',
        '--model', 'openai/gpt-oss-120b', '--model-url', fake.url, '--model-api-key', '${oc.env:NVIDIA_API_KEY}',
        '-a', 'workplace_assistant_simple_agent', '-i', EXAMPLE_TASKS_PATH, '-o', 'out/rollouts.jsonl',
        '--limit', '2', '--num-repeats', '2', '--concurrency', '4', '--temperature', '0.5', '--top-p', '0.9', '--max-output-tokens', '1024',
        `+head_server={host: 127.0.0.1, port: ${await freePort()}}`,
      ],
      { cwd: dir, env },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('starting the servers of +config_paths for this run');
    const rollouts = readJsonl<Rollout>(join(dir, 'out/rollouts.jsonl'));
    expect(rollouts.map((r) => `${r._ng_task_index}:${r._ng_rollout_index}`).sort()).toEqual(['0:0', '0:1', '1:0', '1:1']);
    const sent = fake.modelRequests().map((request) => request.body as Record<string, unknown>);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((body) => body.temperature === 0.5 && body.top_p === 0.9 && body.max_output_tokens === 1024 && body.model === 'openai/gpt-oss-120b')).toBe(true);
    expect(result.stderr + result.stdout).not.toContain('visible');
    expect(result.stderr + result.stdout).not.toContain(SECRET);
  });

  it('--disable-aggregation writes no metrics file; a literal --model-api-key is warned about, never printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-one-'));
    const result = await runCli(
      'gym',
      ['eval', 'run', '--environment', 'workplace_assistant', '--model-type', 'openai_model', '-m', 'openai/gpt-oss-120b', '--model-url', fake.url, '--model-api-key', SECRET, '-a', 'workplace_assistant_simple_agent', '-i', EXAMPLE_TASKS_PATH, '-o', 'r.jsonl', '--limit', '1', '--disable-aggregation', `+head_server={host: 127.0.0.1, port: ${await freePort()}}`],
      { cwd: dir, env: {} },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(readJsonl(join(dir, 'r.jsonl'))).toHaveLength(1);
    expect(existsSync(join(dir, 'r_aggregate_metrics.json'))).toBe(false);
    expect(result.stderr).toContain('warning: gym eval run: +policy_api_key on the command line can be read by every user of this machine (ps, /proc)');
    expect(result.stderr).toContain("--model-api-key '${oc.env:YOUR_VARIABLE}'");
    expect(result.stderr + result.stdout).not.toContain(SECRET);
  });

  it('without --no-serve and without a config, says what to name', async () => {
    const result = await runCli('gym', ['eval', 'run', '-a', 'workplace_assistant_simple_agent', '-i', EXAMPLE_TASKS_PATH, '-o', join(mkdtempSync(join(tmpdir(), 'gym-')), 'r.jsonl')], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('gym eval run starts the servers of its config: name them (e.g. --environment workplace_assistant --model-type openai_model');
  });
});

describe('gym eval aggregate, reverify and profile on a real run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gym-eval-'));
  const run = join(dir, 'run.jsonl');
  const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const keyOf = (line: string) => {
    const value = JSON.parse(line) as Rollout;
    return [value._ng_task_index, value._ng_rollout_index] as const;
  };

  beforeAll(async () => {
    // The oracle agent needs no model: three tasks, two rollouts each, every reward 1.0.
    const result = await runCli(
      'gym',
      ['eval', 'run', '--environment', 'workplace_assistant', '-a', 'workplace_assistant_oracle_agent', '-i', EXAMPLE_TASKS_PATH, '-o', run, '--limit', '3', '--num-repeats', '2', `+head_server={host: 127.0.0.1, port: ${await freePort()}}`],
      { env },
    );
    expect(result.code, result.stderr).toBe(0);
    // Two shards of that run, each with its own materialized inputs, split by rollout index.
    mkdirSync(join(dir, 'shards'));
    for (const shard of [0, 1]) {
      writeFileSync(join(dir, `shards/rollouts-${shard}.jsonl`), lines(run).filter((line) => keyOf(line)[1] === shard).map((line) => `${line}\n`).join(''));
      writeFileSync(join(dir, `shards/rollouts-${shard}_materialized_inputs.jsonl`), lines(join(dir, 'run_materialized_inputs.jsonl')).filter((line) => keyOf(line)[1] === shard).map((line) => `${line}\n`).join(''));
    }
  });

  it('aggregate: the merged files and metrics are those of the single run', async () => {
    const result = await runCli('gym', ['eval', 'aggregate', '-i', join(dir, 'shards/rollouts-*.jsonl'), '-o', join(dir, 'merged.jsonl')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Aggregating 2 shard(s):');
    expect(result.stderr).toContain('is a sidecar file, not a shard; left out');
    expect(readFileSync(join(dir, 'merged.jsonl'), 'utf8')).toBe(readFileSync(run, 'utf8'));
    expect(readFileSync(join(dir, 'merged_materialized_inputs.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'run_materialized_inputs.jsonl'), 'utf8'));
    expect(readFileSync(join(dir, 'merged_aggregate_metrics.json'), 'utf8')).toBe(readFileSync(join(dir, 'run_aggregate_metrics.json'), 'utf8'));
  });

  it('aggregate: overlapping shards and shards of different inputs are refused, naming the files', async () => {
    const overlap = join(dir, 'overlap');
    mkdirSync(overlap);
    cpSync(join(dir, 'shards/rollouts-0.jsonl'), join(overlap, 'a.jsonl'));
    cpSync(join(dir, 'shards/rollouts-0.jsonl'), join(overlap, 'b.jsonl'));
    const twice = await runCli('ng_aggregate_rollouts', [`+input_glob='${join(overlap, 'a.jsonl')},${join(overlap, 'b.jsonl')}'`, `+output_jsonl_fpath=${join(overlap, 'out.jsonl')}`]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`rollout (task 0, rollout 0) is in ${join(overlap, 'a.jsonl')}:1 and ${join(overlap, 'b.jsonl')}:1`);

    const other = join(dir, 'other');
    mkdirSync(other);
    for (const shard of [0, 1]) {
      cpSync(join(dir, `shards/rollouts-${shard}.jsonl`), join(other, `r${shard}.jsonl`));
      cpSync(join(dir, `shards/rollouts-${shard}_materialized_inputs.jsonl`), join(other, `r${shard}_materialized_inputs.jsonl`));
    }
    const inputs = join(other, 'r1_materialized_inputs.jsonl');
    writeFileSync(inputs, readFileSync(inputs, 'utf8').replace('"category":"', '"category":"changed_'));
    const different = await runCli('gym', ['eval', 'aggregate', '-i', join(other, 'r*.jsonl'), '-o', join(other, 'out.jsonl')]);
    expect(different.code).toBe(1);
    expect(different.stderr).toContain('These shards are of different inputs: task 0 is not the same row in');
  });

  it('reverify: a ground truth edited in the inputs flips exactly that task\'s rewards, and the report names them', async () => {
    const planted = join(dir, 'planted_inputs.jsonl');
    const original = lines(join(dir, 'run_materialized_inputs.jsonl'));
    const task1 = JSON.parse(original.find((line) => keyOf(line)[0] === 1)!) as { ground_truth: Array<{ name: string; arguments: string }> };
    const firstArgument = task1.ground_truth[0]!.arguments;
    writeFileSync(planted, original.map((line) => (keyOf(line)[0] === 1 ? line.replace(JSON.stringify(firstArgument), JSON.stringify(firstArgument.replace(/"[^"]*"}$/, '"someone.else@example.com"}'))) : line) + '\n').join(''));
    expect(readFileSync(planted, 'utf8')).toContain('someone.else@example.com');

    const result = await runCli('gym', ['eval', 'reverify', '--inputs', planted, '--rollouts', run]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('2 reward(s) changed:\n  task 1 rollout 0 (id 1): 1.0 -> 0.0\n  task 1 rollout 1 (id 1): 1.0 -> 0.0\n');
    const reverified = readJsonl<Rollout>(join(dir, 'run_reverified.jsonl'));
    expect(reverified.map((r) => `${r._ng_task_index}:${r._ng_rollout_index}=${r.reward}`).sort()).toEqual(['0:0=1', '0:1=1', '1:0=0', '1:1=0', '2:0=1', '2:1=1']);
    expect(readFileSync(join(dir, 'run_reverified_aggregate_metrics.json'), 'utf8')).toContain('"mean/reward": 0.6666666666666666,');

    const again = await runCli('gym', ['eval', 'reverify', '--inputs', planted, '--rollouts', run]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Output file already exists: '${join(dir, 'run_reverified.jsonl')}'. Pass --overwrite to delete it and start fresh, or --resume to continue from it.`);
    const unchanged = await runCli('gym', ['eval', 'reverify', '--inputs', join(dir, 'run_materialized_inputs.jsonl'), '--rollouts', run, '-o', join(dir, 'same.jsonl'), '--concurrency', '2']);
    expect(unchanged.code, unchanged.stderr).toBe(0);
    expect(unchanged.stdout).toContain('No reward changed.');
    expect(readFileSync(join(dir, 'same_aggregate_metrics.json'), 'utf8')).toBe(readFileSync(join(dir, 'run_aggregate_metrics.json'), 'utf8'));
  });

  it('profile: NeMo Gym\'s reward-profiling files, strict about missing rollouts unless told', async () => {
    const result = await runCli('gym', ['eval', 'profile', '--inputs', join(dir, 'run_materialized_inputs.jsonl'), '--rollouts', run]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Reward profile completion: 6/6 rollout rows (100.00%)\nInput rows: 3 total; 3 complete; 0 partial; 0 without rollouts dropped from output.\n');
    const profiling = lines(join(dir, 'run_reward_profiling.jsonl')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(profiling.map((row) => row._ng_task_index)).toEqual([0, 1, 2]);
    expect(Object.keys(profiling[0]!).slice(-6)).toEqual(['sample', 'num_rollouts', 'expected_num_rollouts', 'missing_num_rollouts', 'reward_profile_completion_pct', 'rollout_infos']);
    expect(readFileSync(join(dir, 'run_agent_metrics.json'), 'utf8')).toMatch(/^\[\{"mean\/reward":1\.0,.*"agent_ref":\{"name":"workplace_assistant_oracle_agent"\}\}\]$/);

    const partial = join(dir, 'partial.jsonl');
    writeFileSync(partial, lines(run).slice(0, 5).map((line) => `${line}\n`).join(''));
    const strict = await runCli('gym', ['eval', 'profile', '--inputs', join(dir, 'run_materialized_inputs.jsonl'), '--rollouts', partial]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('Missing rollout keys: [(2, 1)].');
    const allowed = await runCli('ng_reward_profile', [`+materialized_inputs_jsonl_fpath=${join(dir, 'run_materialized_inputs.jsonl')}`, `+rollouts_jsonl_fpath=${partial}`, '++allow_partial_rollouts=true']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('Reward profile completion: 5/6 rollout rows (83.33%)');
  });
});

describe('gym parsing, help and what is not here', () => {
  it('a misspelt flag or command is an error with a suggestion (exit 2)', async () => {
    const flag = await runCli('gym', ['eval', 'run', '--limt', '3']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("error: unknown option '--limt'\n(Did you mean --limit?)");
    const command = await runCli('ng', ['evl', 'run']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("error: unknown command 'evl'\n(Did you mean eval?)");
  });

  it('per-command help lists the flags and the Hydra keys they set', async () => {
    const help = await runCli('gym', ['eval', 'run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--concurrency <n>');
    expect(help.stdout).toContain('(+num_samples_in_parallel)');
  });

  it("commands that make no sense here say so, whatever their flags", async () => {
    for (const [args, why] of [
      [['eval', 'submit', '--config', 'x.yaml', '--dry-run'], 'no Slurm or cluster submission'],
      [['dataset', 'download', '--repo-id', 'nvidia/x'], 'reaches no dataset hub'],
      [['list', 'benchmarks'], 'has no benchmarks'],
    ] as const) {
      const result = await runCli('gym', [...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`\`gym ${args.slice(0, 2).join(' ')}\` is not available in Gym Rollouts: `);
      expect(result.stderr).toContain(why);
    }
  });

  it('an unknown environment or model type lists what exists', async () => {
    const result = await runCli('gym', ['env', 'start', '--environment', 'workplace', '--model-type', 'openai_model']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Available environments: workplace_assistant');
  });

  it('--version, and env resolve with the seed\'s NeMo Gym config paths', async () => {
    const version = await runCli('gym', ['--version', '--json']);
    expect(version.code).toBe(0);
    expect(JSON.parse(version.stdout)).toMatchObject({ gym_rollouts: expect.any(String) as string });
    const seed = await runCli('ng_dump_config', ['+config_paths=[responses_api_models/openai_model/configs/openai_model.yaml,resources_servers/workplace_assistant/configs/workplace_assistant.yaml]', '+policy_base_url=http://127.0.0.1:9/v1', '+policy_api_key=x', '+policy_model_name=m']);
    const resolved = await runCli('gym', ['env', 'resolve', '--config', 'responses_api_models/vllm_model/configs/vllm_model.yaml', '--environment', 'workplace_assistant', '+policy_base_url=http://127.0.0.1:9/v1', '+policy_api_key=x', '+policy_model_name=m']);
    expect(seed.code, seed.stderr).toBe(0);
    expect(seed.stdout).toContain('openai_model:');
    expect(seed.stdout).toContain('workplace_assistant_simple_agent:');
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toContain('chat_completions_model:');
  });
});
