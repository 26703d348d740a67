import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRollouts } from '../../../src/core/collect/collect';
import { silentLogger } from '../../../src/core/logger';
import { CliProcess, runCli } from '../../support/cli';
import { oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { freePort } from '../../support/free_port';
import { readJsonl } from '../../support/jsonl';
import { REPO_ROOT, WORKPLACE_CSV_DIR } from '../../support/paths';

const TASKS = join(REPO_ROOT, 'examples/workplace_assistant/tasks.jsonl');
const KEY = 'sk-hosts-test-key-9f8e7d6c5b';

interface Line { _ng_task_index: number; _ng_rollout_index: number; _ng_attempt_index?: number; reward?: number }

/** An environment host: `ng_run` (head, model, resources and agent servers) in its own process. */
async function startHost(fake: FakeOpenAIServer): Promise<{ process: CliProcess; url: string; port: number }> {
  const port = await freePort();
  const process = new CliProcess('ng_run', [
    '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
    `+head_server={host: 127.0.0.1, port: ${port}}`,
    `+policy_base_url=${fake.url}`,
    '+policy_api_key=${oc.env:OPENAI_API_KEY}',
    '+policy_model_name=gpt-test',
    `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
  ], { env: { OPENAI_API_KEY: KEY } });
  await process.waitFor(/All \d+ \/ \d+ servers ready/);
  return { process, url: `http://127.0.0.1:${port}`, port };
}

describe('several environment hosts (+head_servers)', () => {
  let fake: FakeOpenAIServer;
  const hosts: Array<{ process: CliProcess; url: string; port: number }> = [];

  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: oracleScript(TASKS), apiKey: KEY });
    hosts.push(...(await Promise.all([startHost(fake), startHost(fake)])));
  });
  afterAll(async () => {
    for (const host of hosts) await host.process.stop('SIGKILL');
    await fake?.close();
  });

  it('spreads rollouts over both hosts (ng_collect_rollouts +head_servers=[...]) and reports each', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'gym-hosts-')), 'rollouts.jsonl');
    const result = await runCli('ng_collect_rollouts', [
      `+head_servers=[${hosts.map((host) => `{host: 127.0.0.1, port: ${host.port}}`).join(', ')}]`,
      '+agent_name=workplace_assistant_simple_agent',
      `+input_jsonl_fpath=${TASKS}`,
      `+output_jsonl_fpath=${output}`,
      '+num_repeats=2',
      '+num_samples_in_parallel=6',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Collecting through 2 environment hosts');
    expect(readJsonl<Line>(output)).toHaveLength(24);
    for (const host of hosts) expect(result.stdout).toMatch(new RegExp(`environment host ${host.url}: ([1-9]\\d*) rollouts, `));
    expect(result.stdout).not.toContain(KEY);
  });

  it('gym eval run --no-serve --head-servers does the same', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'gym-hosts-')), 'rollouts.jsonl');
    const result = await runCli('gym', [
      'eval', 'run', '--no-serve',
      '--head-servers', `[${hosts.map((host) => `{host: 127.0.0.1, port: ${host.port}}`).join(', ')}]`,
      '-a', 'workplace_assistant_simple_agent', '-i', TASKS, '-o', output, '--num-repeats', '1', '--concurrency', '4',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Collecting through 2 environment hosts');
    expect(readJsonl<Line>(output)).toHaveLength(12);
  });

  it('a host killed mid-run loses no rollout: its rollouts are retried on the other, every key exactly once', async () => {
    fake.setFaults({ random: { probability: 1, faults: [{ kind: 'slow', delayMs: 60 }], seed: 3 } });
    const output = join(mkdtempSync(join(tmpdir(), 'gym-hosts-kill-')), 'rollouts.jsonl');
    const run = collectRollouts(
      { inputJsonlPath: TASKS, outputJsonlPath: output, agentName: 'workplace_assistant_simple_agent', numRepeats: 4, numSamplesInParallel: 8 },
      { headServerUrl: hosts[0]!.url, headServerUrls: hosts.map((host) => host.url) },
      {},
      silentLogger,
    );
    const deadline = Date.now() + 60_000;
    while (readJsonl<Line>(output).length < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await hosts[1]!.process.stop('SIGKILL');
    const summary = await run;
    fake.setFaults(undefined);
    const written = readJsonl<Line>(output);
    const failed = readJsonl<Line>(summary.failuresPath);
    const keys = [...written, ...failed].map((line) => `${line._ng_task_index}:${line._ng_rollout_index}`);
    expect(keys).toHaveLength(48);
    expect(new Set(keys).size).toBe(48);
    expect(summary.done).toBe(48);
    const reports = summary.endpoints!.filter((endpoint) => endpoint.role === 'environment');
    expect(reports.map((report) => report.label)).toEqual(hosts.map((host) => host.url));
    expect(reports[1]).toMatchObject({ healthy: false });
    expect(reports[1]!.ejections).toBeGreaterThan(0);
    // The rollouts in flight on the killed host were sent again (their attempt counted).
    expect(written.some((line) => (line._ng_attempt_index ?? 0) > 0)).toBe(true);
  });
});
