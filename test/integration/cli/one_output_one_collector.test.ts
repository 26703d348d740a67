import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRollouts } from '../../../src/core/collect/collect';
import { OutputLockedError } from '../../../src/core/collect/output_lock';
import { silentLogger } from '../../../src/core/logger';
import { CliProcess, runCli } from '../../support/cli';
import { startTestServers } from '../../support/embedded';
import { EXAMPLE_TASKS_PATH, oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { freePort } from '../../support/free_port';
import { readJsonl } from '../../support/jsonl';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

const KEY = 'sk-one-output-lock-000000';

/** Two collections on one output file: the second is refused (naming the file and the holder) and nothing is lost. */
describe('one collector per output file', () => {
  let fake: FakeOpenAIServer;
  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: oracleScript(EXAMPLE_TASKS_PATH) });
  });
  afterAll(async () => fake?.close());

  async function args(output: string, extra: string[] = []): Promise<string[]> {
    return [
      '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
      `+head_server={host: 127.0.0.1, port: ${await freePort()}}`,
      `+policy_base_url=${fake.url}`,
      '+policy_api_key=${oc.env:TEST_KEY}',
      '+policy_model_name=gpt-test',
      `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
      '+agent_name=workplace_assistant_simple_agent',
      `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`,
      `+output_jsonl_fpath=${output}`,
      '+num_repeats=6',
      '+num_samples_in_parallel=2',
      ...extra,
    ];
  }

  it('a second ng_collect_rollouts, fresh or resuming, is refused while the first runs; the first loses nothing', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'gym-lock-cli-')), 'rollouts.jsonl');
    // The first collection's model calls wait until the second ones are done.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    fake.setFaults({ decide: () => ({ kind: 'held', release: held }) });
    const first = new CliProcess('ng_collect_rollouts', await args(output), { env: { TEST_KEY: KEY } });
    await first.waitFor(/All 5 \/ 5 servers ready/);
    const pid = first.child.pid!;

    for (const extra of [[], ['+resume_from_cache=true']]) {
      const second = await runCli('ng_collect_rollouts', await args(output, extra), { env: { TEST_KEY: KEY } });
      expect(second.code, second.stderr).toBe(1);
      expect(second.stderr).toContain(`${output} is being written by another collection: ng_collect_rollouts (pid ${pid} on `);
      expect(second.stderr).not.toContain('servers ready');
    }

    release();
    fake.setFaults(undefined);
    const result = await first.wait();
    expect(result.code, result.stderr).toBe(0);
    const keys = readJsonl<{ _ng_task_index: number; _ng_rollout_index: number }>(output).map((r) => `${r._ng_task_index}:${r._ng_rollout_index}`);
    expect(keys).toHaveLength(30);
    expect(new Set(keys).size).toBe(30);
    expect(existsSync(output.replace(/\.jsonl$/, '.lock'))).toBe(false);
  });

  it('the editor path (collectRollouts in the host) is refused the same way', async () => {
    const servers = await startTestServers({ configs: ['configs/openai_model.yaml', 'configs/workplace_assistant.yaml'], policyBaseUrl: fake.url, policyApiKey: KEY, policyModelName: 'gpt-test' });
    try {
      const output = join(mkdtempSync(join(tmpdir(), 'gym-lock-host-')), 'rollouts.jsonl');
      const options = { inputJsonlPath: EXAMPLE_TASKS_PATH, outputJsonlPath: output, agentName: 'workplace_assistant_simple_agent', numRepeats: 2 };
      const first = collectRollouts(options, { headServerUrl: servers.headServerUrl }, { command: 'the Gym Rollouts editor extension' }, silentLogger);
      const second = collectRollouts(options, { headServerUrl: servers.headServerUrl }, {}, silentLogger);
      await expect(second).rejects.toBeInstanceOf(OutputLockedError);
      await expect(second).rejects.toThrow(/being written by another collection: the Gym Rollouts editor extension \(pid/);
      const summary = await first;
      expect(summary.done).toBe(10);
    } finally {
      await servers.stop();
    }
  });
});
