import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, runCli } from '../../support/cli';
import { EXAMPLE_TASKS_PATH, oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { freePort } from '../../support/free_port';
import { readJsonl } from '../../support/jsonl';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

const RIGHT_KEY = ['sk', 'exitcodes', 'right', '0123456789'].join('-');
const WRONG_KEY = ['sk', 'exitcodes', 'wrong', '9876543210'].join('-');

interface Failure {
  _ng_task_index: number;
  _ng_rollout_index: number;
  _ng_failure_class: string;
  _ng_failure_terminal: boolean;
  upstream_status?: number;
}

/**
 * Exit codes and summaries tell the truth: a rejected key stops the run after a few rollouts (exit 4) and leaves
 * the rest for a resume; a run with failures exits 3; only a run where every rollout was written exits 0.
 */
describe('runs that fail', () => {
  let fake: FakeOpenAIServer;
  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: oracleScript(EXAMPLE_TASKS_PATH), apiKey: RIGHT_KEY });
  });
  afterAll(async () => fake?.close());

  async function startNgRun(port: number, key: string): Promise<CliProcess> {
    const ngRun = new CliProcess('ng_run', [
      '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
      `+head_server={host: 127.0.0.1, port: ${port}}`,
      `+policy_base_url=${fake.url}`,
      '+policy_api_key=${oc.env:POLICY_KEY}',
      '+policy_model_name=gpt-test',
      `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
      // The key is wrong on purpose here: the start-up check would refuse it (tested elsewhere).
      '+skip_endpoint_check=true',
    ], { env: { POLICY_KEY: key } });
    await ngRun.waitFor(/All 5 \/ 5 servers ready/);
    return ngRun;
  }

  it('a rejected key stops dispatching after 3 rollouts, exits 4, and a resume with the right key completes exactly once', async () => {
    const port = await freePort();
    const output = join(mkdtempSync(join(tmpdir(), 'gym-401-')), 'rollouts.jsonl');
    const collect = (extra: string[] = []) =>
      runCli('ng_collect_rollouts', [
        `+head_server={host: 127.0.0.1, port: ${port}}`,
        '+agent_name=workplace_assistant_simple_agent',
        `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`,
        `+output_jsonl_fpath=${output}`,
        '+num_repeats=4',
        '+num_samples_in_parallel=1',
        ...extra,
      ]);
    const responsesCalls = () => fake.requests.filter((request) => request.path === '/v1/responses').length;
    const requestsBefore = responsesCalls();
    let ngRun = await startNgRun(port, WRONG_KEY);
    const first = await collect();
    await ngRun.stop();
    expect(first.code, first.stderr).toBe(4);
    expect(first.stdout).toContain('Collection STOPPED after 3 rollouts failed the same way');
    expect(first.stdout).toContain('The model endpoint rejected the API key');
    expect(first.stdout).toContain('0 written, 3 failed, 17 not attempted, 20 in all');
    expect(first.stdout).toContain('– over written rollouts; 0.0000 over all attempted');
    expect(responsesCalls() - requestsBefore).toBe(3);
    const failures = readJsonl<Failure>(join(output, '..', 'rollouts_failures.jsonl'));
    expect(failures).toHaveLength(3);
    for (const failure of failures) expect(failure).toMatchObject({ _ng_failure_class: 'model_error', _ng_failure_terminal: false, upstream_status: 401 });
    for (const text of [first.stdout, first.stderr]) expect(text).not.toContain(WRONG_KEY);

    ngRun = await startNgRun(port, RIGHT_KEY);
    try {
      const second = await collect(['+resume_from_cache=true']);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain('20 written, 0 failed, 20 in all');
      const keys = readJsonl<{ _ng_task_index: number; _ng_rollout_index: number }>(output).map((r) => `${r._ng_task_index}:${r._ng_rollout_index}`);
      expect(keys).toHaveLength(20);
      expect(new Set(keys).size).toBe(20);
      expect(readJsonl(join(output, '..', 'rollouts_failures.jsonl'))).toHaveLength(0);
    } finally {
      await ngRun.stop();
    }
  });

  it('a run with a failure exits 3 and shows the mean reward over written and over attempted rollouts', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'gym-exit3-')), 'rollouts.jsonl');
    // The first model request of the run is refused for its tool schema: that rollout fails for good.
    fake.setFaults({ byRequestIndex: { 0: { kind: 'tool_schema_error' } } });
    try {
      const result = await runCli('ng_collect_rollouts', [
        '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
        `+head_server={host: 127.0.0.1, port: ${await freePort()}}`,
        `+policy_base_url=${fake.url}`,
        '+policy_api_key=${oc.env:POLICY_KEY}',
        '+policy_model_name=gpt-test',
        `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
        '+agent_name=workplace_assistant_simple_agent',
        `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`,
        `+output_jsonl_fpath=${output}`,
        '+num_repeats=2',
        '+num_samples_in_parallel=1',
      ], { env: { POLICY_KEY: RIGHT_KEY } });
      expect(result.code, result.stderr).toBe(3);
      expect(result.stdout).toContain('Collection finished with 1 failed rollout');
      expect(result.stdout).toContain('9 written, 1 failed, 10 in all');
      expect(result.stdout).toContain('1.0000 over written rollouts; 0.9000 over all attempted (failures count as 0)');
      const failures = readJsonl<Failure>(join(output, '..', 'rollouts_failures.jsonl'));
      expect(failures).toEqual([expect.objectContaining({ _ng_failure_class: 'model_error', _ng_failure_terminal: true, upstream_status: 400 })]);
    } finally {
      fake.setFaults(undefined);
    }
  });
});
