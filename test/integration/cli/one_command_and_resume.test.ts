import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, runCli } from '../../support/cli';
import { EXAMPLE_TASKS_PATH, oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { freePort } from '../../support/free_port';
import { readJsonl } from '../../support/jsonl';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

const SECRET = 'sk-proj-ONECOMMAND-secret-1234567890abcdef';

describe('ng_collect_rollouts in one command, kill -9 and resume', () => {
  let fake: FakeOpenAIServer;
  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: oracleScript(EXAMPLE_TASKS_PATH), apiKey: SECRET });
  });
  afterAll(async () => fake?.close());

  async function args(output: string, extra: string[] = []): Promise<string[]> {
    return [
      '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
      `+head_server={host: 127.0.0.1, port: ${await freePort()}}`,
      `+policy_base_url=${fake.url}`,
      '+policy_api_key=${oc.env:OPENAI_API_KEY}',
      '+policy_model_name=gpt-test',
      `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
      '+agent_name=workplace_assistant_simple_agent',
      `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`,
      `+output_jsonl_fpath=${output}`,
      ...extra,
    ];
  }

  it('starts the servers for the run and stops them after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-one-'));
    const output = join(dir, 'rollouts.jsonl');
    const result = await runCli('ng_collect_rollouts', await args(output, ['+num_repeats=2']), { env: { OPENAI_API_KEY: SECRET } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('starting the servers of +config_paths');
    expect(readJsonl(output)).toHaveLength(10);
    for (const text of [result.stdout, result.stderr, ...readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'))]) expect(text).not.toContain(SECRET);
  });

  it('after kill -9 mid-run, +resume_from_cache=true collects exactly the missing rollouts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-kill-'));
    const output = join(dir, 'rollouts.jsonl');
    fake.setFaults({ decide: () => ({ kind: 'slow', delayMs: 150 }) });
    const first = new CliProcess('ng_collect_rollouts', await args(output, ['+num_repeats=8', '+num_samples_in_parallel=4']), { env: { OPENAI_API_KEY: SECRET } });
    const started = Date.now();
    while (readJsonl(output).length < 6) {
      if (Date.now() - started > 60_000) throw new Error(`no progress:\n${first.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    first.child.kill('SIGKILL');
    await first.wait();
    fake.setFaults(undefined);
    const text = readFileSync(output, 'utf8');
    expect(text.endsWith('\n') || text === '').toBe(true);
    const before = readJsonl<{ _ng_task_index: number; _ng_rollout_index: number }>(output);
    expect(before.length).toBeLessThan(40);

    const second = await runCli('ng_collect_rollouts', await args(output, ['+num_repeats=8', '+num_samples_in_parallel=4', '+resume_from_cache=true']), { env: { OPENAI_API_KEY: SECRET } });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/Resuming: 40 rollouts in all, \d+ already accounted for/);
    const after = readJsonl<{ _ng_task_index: number; _ng_rollout_index: number }>(output);
    const keys = after.map((r) => `${r._ng_task_index}:${r._ng_rollout_index}`);
    expect(keys).toHaveLength(40);
    expect(new Set(keys).size).toBe(40);
    expect(after.slice(0, before.length)).toEqual(before);
  });

  it('a misspelt option is an error that suggests the right key', async () => {
    const result = await runCli('ng_collect_rollouts', ['+input_jsonl_fpath=x.jsonl', '+output_jsonl_fpath=y.jsonl', '+limt=5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown option +limt. Did you mean +limit?');
  });
});
